import type { MailSender, OutgoingMail } from './mail-sender.js';

/**
 * Sends over SMTP to `smtpUrl` (smtp://user:pass@host:587, smtps://... for TLS from the start).
 * nodemailer is loaded with the first mail, so a node that sends none never holds it.
 */
export function smtpSender(smtpUrl: string): MailSender {
  let transport: ReturnType<typeof smtpTransport> | undefined;
  return {
    async send(mail: OutgoingMail) {
      transport ??= smtpTransport(smtpUrl);
      await (await transport).sendMail(mail);
    },
    async close() {
      // A transport that failed to load has nothing to close.
      const opened = await transport?.catch(() => undefined);
      opened?.close();
    },
  };
}

async function smtpTransport(smtpUrl: string) {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport(smtpUrl);
}
