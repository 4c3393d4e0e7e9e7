/**
 * Every mail the panel sends, with the values each is built from (stored as JSON in the outbox,
 * rendered in the account's language when sent). Links are paths; the sender puts PUBLIC_URL
 * in front, so no request's Host header can steer where a reset link points.
 */
export interface MailData {
  /** Sign-up: prove the address. */
  verify_email: { token: string };
  /** Someone signed up with an address that already has an account. */
  signup_existing: Record<string, never>;
  reset_password: { token: string };
  password_changed: Record<string, never>;
  /** Past the per-account password-guess limit, the owner signs in by this link. */
  sign_in_link: { token: string };
  deposit_credited: { amountUnits: number; balanceUnits: number };
  money_debited: { amountUnits: number; reason: 'refund' | 'dispute' };
  api_key_regenerated: { prefix: string };
  low_balance: { balanceUnits: number; thresholdUnits: number };
  /** Wired by the two-factor change (issue 10). */
  second_factor_changed: Record<string, never>;
  /** The support desk: the operator answered the customer's ticket. */
  ticket_answered: { ticketId: number; subject: string };
  /** The support desk, to the operator: a new ticket, or a customer's new message on one. */
  ticket_opened: { ticketId: number; subject: string };
  ticket_customer_message: { ticketId: number; subject: string };
}

export type MailKind = keyof MailData;

export const MAIL_KINDS = [
  'verify_email',
  'signup_existing',
  'reset_password',
  'password_changed',
  'sign_in_link',
  'deposit_credited',
  'money_debited',
  'api_key_regenerated',
  'low_balance',
  'second_factor_changed',
  'ticket_answered',
  'ticket_opened',
  'ticket_customer_message',
] as const satisfies readonly MailKind[];

export function isMailKind(value: string): value is MailKind {
  return (MAIL_KINDS as readonly string[]).includes(value);
}

/** A mail in words: the renderer turns it into plain text and escaped HTML. */
export interface MailWords {
  subject: string;
  paragraphs: string[];
  action?: { label: string; path: string };
}

/** One language's words for every kind: a missing kind is a type error. */
export type MailTexts = {
  [K in MailKind]: (data: MailData[K]) => MailWords;
};
