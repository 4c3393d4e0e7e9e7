import { DomainError } from './errors.js';
import { isStorableText } from './storable-text.js';

/**
 * The support desk's rules, without storage: what a ticket's status becomes after a message,
 * how long a subject and a message may be, and how many messages a customer may send.
 */
export const TICKET_STATUSES = ['open', 'answered', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketAuthor = 'customer' | 'staff';

export const MAX_SUBJECT_LENGTH = 150;
export const MAX_MESSAGE_LENGTH = 5000;

/** A customer may send this many messages (new tickets included) in any window of this length. */
export const CUSTOMER_MESSAGE_LIMIT = 5;
export const CUSTOMER_MESSAGE_WINDOW_MS = 10 * 60_000;

export function isTicketStatus(value: unknown): value is TicketStatus {
  return typeof value === 'string' && (TICKET_STATUSES as readonly string[]).includes(value);
}

/** A customer's message (re)opens the ticket; the operator's reply answers it. */
export function statusAfterMessage(author: TicketAuthor): TicketStatus {
  return author === 'customer' ? 'open' : 'answered';
}

/** Counted in code points, as the customer counts them; line breaks kept, ends trimmed. */
function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

export function validSubject(subject: string): string {
  const cleaned = cleanText(subject).replace(/\s+/g, ' ');
  if (cleaned === '' || [...cleaned].length > MAX_SUBJECT_LENGTH || !isStorableText(cleaned)) {
    throw new DomainError('ticket_subject_invalid', { max: MAX_SUBJECT_LENGTH });
  }
  return cleaned;
}

export function validMessage(body: string): string {
  const cleaned = cleanText(body);
  if (cleaned === '' || [...cleaned].length > MAX_MESSAGE_LENGTH || !isStorableText(cleaned)) {
    throw new DomainError('ticket_message_invalid', { max: MAX_MESSAGE_LENGTH });
  }
  return cleaned;
}

/** Refuses a customer's message when the window already holds the limit. */
export function checkCustomerRate(recentMessageCount: number): void {
  if (recentMessageCount >= CUSTOMER_MESSAGE_LIMIT) {
    throw new DomainError('ticket_rate_limited', {
      max: CUSTOMER_MESSAGE_LIMIT,
      minutes: CUSTOMER_MESSAGE_WINDOW_MS / 60_000,
    });
  }
}
