import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The `lang` of the HTML part's root element. */
  htmlLang: string | undefined;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on a loopback port that keeps every mail it receives, parsed: tests point
 * SMTP_URL (or smtpSender) at `url` and read `mails`. `refuseNext(n)` answers the next n
 * messages with a temporary failure, to test retries.
 */
export async function startSmtpInbox() {
  const mails: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let toRefuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      if (toRefuse > 0) {
        toRefuse -= 1;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream).then(
        (parsed) => {
          const html = typeof parsed.html === 'string' ? parsed.html : '';
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html,
            messageId: parsed.messageId ?? '',
            htmlLang: /<html lang="([^"]+)"/.exec(html)?.[1],
            parsed,
          });
          for (const wake of waiters.splice(0)) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('SMTP inbox has no port');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    mails,
    refuseNext(count: number) {
      toRefuse = count;
    },
    /** The mails sent to `to`, oldest first. */
    mailsTo(to: string): ReceivedMail[] {
      return mails.filter((mail) => mail.to === to);
    },
    /** Resolves once a mail to `to` matching `subject` arrived (polled by the caller's sender). */
    async waitFor(to: string, subject: RegExp, tries = 200): Promise<ReceivedMail> {
      for (let i = 0; i < tries; i++) {
        const found = mails.find((mail) => mail.to === to && subject.test(mail.subject));
        if (found) return found;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      throw new Error(`no mail to ${to} matching ${subject}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpInbox = Awaited<ReturnType<typeof startSmtpInbox>>;

/** The path (and query) of the first link to the panel in a mail's text, e.g. /verify-email?token=... */
export function linkPath(mail: { text: string }, path: string): string {
  const match = new RegExp(`https?://[^\\s/]+(${path.replace(/[/?]/g, '\\$&')}[^\\s]*)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${path} link in the mail:\n${mail.text}`);
  return match[1];
}
