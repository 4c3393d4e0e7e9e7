import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailSender, OutgoingMail } from './mail-sender.js';

/**
 * Without SMTP_URL (the embedded default) every mail is written as an RFC 822 `.eml` file into
 * `directory` and its path passed to `onWritten` (logged), so the demo and a newcomer can open
 * each mail in a mail program. nodemailer's stream transport builds the exact text SMTP would send.
 */
export function fileSender(directory: string, onWritten: (file: string) => void = () => {}): MailSender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail: OutgoingMail) {
      const info = await transport.sendMail(mail);
      await mkdir(directory, { recursive: true });
      const id = mail.messageId.replace(/[^A-Za-z0-9.-]/g, '_');
      const file = path.join(directory, `${id}.eml`);
      await writeFile(file, info.message as Buffer);
      onWritten(file);
    },
    async close() {},
  };
}
