/** One rendered mail, ready for a transport. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox row, so a mail re-sent after a crash can be recognised as the same one. */
  messageId: string;
}

/** Where mails go: an SMTP server (SMTP_URL) or, without one, `.eml` files under the data directory. */
export interface MailSender {
  /** Resolves once the mail is accepted; throws when it was not (the outbox retries it). */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}
