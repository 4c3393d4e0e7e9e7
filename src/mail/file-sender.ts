import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MailSender, OutgoingMail } from './mail-sender.js';

/**
 * Without SMTP_URL (the embedded default) every mail is written as an RFC 822 `.eml` file into
 * `directory` and its path passed to `onWritten` (logged), so the demo and a newcomer can open
 * each mail in a mail program. nodemailer's stream transport builds the exact text SMTP would send;
 * nodemailer is loaded with the first mail, so a node that sends none never holds it.
 */
export function fileSender(directory: string, onWritten: (file: string) => void = () => {}): MailSender {
  let transport: ReturnType<typeof streamTransport> | undefined;
  return {
    async send(mail: OutgoingMail) {
      transport ??= streamTransport();
      const info = await (await transport).sendMail(mail);
      await mkdir(directory, { recursive: true });
      const id = mail.messageId.replace(/[^A-Za-z0-9.-]/g, '_');
      const file = path.join(directory, `${id}.eml`);
      await writeFile(file, info.message as Buffer);
      onWritten(file);
    },
    async close() {},
  };
}

async function streamTransport() {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
}
