import type { Logger } from 'pino';
import type { AppContext } from '../app/context.js';
import { isMailKind } from '../domain/mail-kinds.js';
import { claimMail, listDueMails, markMailFailed, markMailSent } from '../storage/mail-outbox-repository.js';
import type { MailOutboxRow } from '../storage/schema.js';
import type { MailSender } from './mail-sender.js';
import { type MailOperator, renderMail } from './render-mail.js';

/** A send that has not finished by then is taken as crashed and tried again. */
export const MAIL_LEASE_MS = 5 * 60 * 1000;
const FIRST_RETRY_MS = 30 * 1000;
const LONGEST_RETRY_MS = 60 * 60 * 1000;

/** 30 s, 1 min, 2 min... up to an hour between attempts; retried until the server accepts it. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

/**
 * The mail loop: sends the outbox's due mails one by one. Each is claimed first (a lease, so
 * several servers may run the loop), marked sent once the transport accepted it, or given a
 * later attempt when it failed. A process that dies mid-send leaves the mail due again after
 * the lease: at least once, and never again after it was marked sent.
 */
export class MailDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private isStopped = true;

  constructor(
    private readonly options: {
      ctx: AppContext;
      sender: MailSender;
      operator: MailOperator;
      logger?: Logger;
      pollMs?: number;
    },
  ) {}

  /** Sends every mail due now; resolves with how many were accepted. */
  runOnce(): Promise<number> {
    this.running ??= this.sendDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  start(): void {
    this.isStopped = false;
    const tick = () => {
      this.runOnce()
        .catch((error: unknown) => this.options.logger?.error({ err: error }, 'mail loop failed'))
        .finally(() => {
          if (!this.isStopped) this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => {});
    await this.options.sender.close();
  }

  private async sendDue(): Promise<number> {
    const { ctx } = this.options;
    const due = await listDueMails(ctx.db, { nowMs: ctx.clock.now(), limit: 20 });
    let sent = 0;
    for (const row of due) {
      if (await this.sendOne(row)) sent += 1;
    }
    return sent;
  }

  private async sendOne(row: MailOutboxRow): Promise<boolean> {
    const { ctx, sender, operator, logger } = this.options;
    const id = Number(row.id);
    const nowMs = ctx.clock.now();
    if (!(await claimMail(ctx.db, { id, nowMs, leaseUntilMs: nowMs + MAIL_LEASE_MS }))) return false;
    try {
      if (!isMailKind(row.kind)) throw new Error(`unknown mail kind ${row.kind}`);
      const mail = renderMail(
        { id, to: row.to_address, language: row.language, kind: row.kind, data: JSON.parse(row.data) },
        operator,
      );
      await sender.send(mail);
      await markMailSent(ctx.db, { id, nowMs: ctx.clock.now() });
      logger?.info({ mailId: id, kind: row.kind }, 'mail sent');
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const nextAttemptMs = ctx.clock.now() + retryDelayMs(Number(row.attempts) + 1);
      await markMailFailed(ctx.db, { id, nextAttemptMs, error: message });
      logger?.warn({ mailId: id, kind: row.kind, err: message }, 'mail not sent; will retry');
      return false;
    }
  }
}
