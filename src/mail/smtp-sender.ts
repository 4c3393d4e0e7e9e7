import nodemailer from 'nodemailer';
import type { MailSender, OutgoingMail } from './mail-sender.js';

/** Sends over SMTP to `smtpUrl` (smtp://user:pass@host:587, smtps://... for TLS from the start). */
export function smtpSender(smtpUrl: string): MailSender {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail: OutgoingMail) {
      await transport.sendMail(mail);
    },
    async close() {
      transport.close();
    },
  };
}
