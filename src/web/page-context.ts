import type { Lang, Messages } from './i18n/index.js';

/** What every page needs from the request, built once by the web plugin (src/http/web). */
export interface PageContext {
  readonly lang: Lang;
  readonly t: Messages;
  /** The signed-in account, if any. */
  readonly account?: {
    readonly id: number;
    readonly email: string;
    readonly role: 'user' | 'admin';
    /** Not active (by an operator, or by the panel for money owed): the navigation offers only what they may use. */
    readonly isSuspended?: boolean;
    readonly owesMoney?: boolean;
    /** False until the owner follows the verification link (a banner offers to resend it). */
    readonly isEmailVerified?: boolean;
  };
  /** Support tickets with an unread answer: the account's own, and for an admin the desk's. */
  readonly unreadTickets?: { readonly own: number; readonly desk: number };
  /** Put into every form as the hidden `_csrf` field (see csrfField). */
  readonly csrfToken: string;
  /** The request's path (no query): the layout marks the matching nav link as current. */
  readonly path: string;
  /** The same URL in another language: `/orders?status=Pending&lang=en`. */
  langUrl(lang: Lang): string;
  /** URL of a static asset with its content hash, for long caching: `/assets/app.css?v=…`. */
  asset(name: string): string;
}
