import type { MailTexts } from '../domain/mail-kinds.js';
import { formatMoney } from '../web/i18n/format.js';

const euro = (units: number) => formatMoney('en', units);
const notYou = 'If this was not you, you can ignore this email.';

export const MAIL_TEXTS_EN: MailTexts = {
  verify_email: ({ token }) => ({
    subject: 'Confirm your email address',
    paragraphs: [
      'Thank you for signing up. Confirm your address to place orders and get your API key.',
      'The link is valid for 48 hours and works once.',
      notYou,
    ],
    action: { label: 'Confirm address', path: `/verify-email?token=${token}` },
  }),
  signup_existing: () => ({
    subject: 'Someone tried to sign up with your address',
    paragraphs: [
      'Someone tried to create an account with this email address, but an account already exists.',
      'If it was you and you forgot your password, you can reset it.',
      'If it was not you, there is nothing to do: your account has not changed.',
    ],
    action: { label: 'Reset your password', path: '/forgot-password' },
  }),
  reset_password: ({ token }) => ({
    subject: 'Reset your password',
    paragraphs: [
      'You asked to reset your password. The link is valid for 30 minutes and works once.',
      notYou,
    ],
    action: { label: 'Choose a new password', path: `/reset-password?token=${token}` },
  }),
  password_changed: () => ({
    subject: 'Your password was changed',
    paragraphs: [
      'The password of your account has just been changed.',
      'If this was not you, reset your password now and write to us.',
    ],
    action: { label: 'Reset your password', path: '/forgot-password' },
  }),
  sign_in_link: ({ token }) => ({
    subject: 'Your sign-in link',
    paragraphs: [
      'There have been many attempts to sign in to your account: to be safe, sign in with this link.',
      'The link is valid for 15 minutes and works once.',
      notYou,
    ],
    action: { label: 'Sign in', path: `/sign-in-link?token=${token}` },
  }),
  deposit_credited: ({ amountUnits, balanceUnits }) => ({
    subject: `Deposit credited: ${euro(amountUnits)}`,
    paragraphs: [`We credited ${euro(amountUnits)} to your balance.`, `Balance now: ${euro(balanceUnits)}.`],
    action: { label: 'Your payments', path: '/payments' },
  }),
  money_debited: ({ amountUnits, reason }) => ({
    subject: reason === 'refund' ? 'Refund debited from your balance' : 'Dispute debited from your balance',
    paragraphs: [
      reason === 'refund'
        ? `A payment was refunded: ${euro(amountUnits)} was taken from your balance.`
        : `A payment was disputed: ${euro(amountUnits)} was taken from your balance.`,
    ],
    action: { label: 'Your payments', path: '/payments' },
  }),
  api_key_regenerated: ({ prefix }) => ({
    subject: 'New API key',
    paragraphs: [
      `A new API key was created (it starts with ${prefix}); the previous one no longer works.`,
      'If this was not you, change your password now.',
    ],
  }),
  low_balance: ({ balanceUnits, thresholdUnits }) => ({
    subject: `Balance below ${euro(thresholdUnits)}`,
    paragraphs: [
      `Your balance fell to ${euro(balanceUnits)}, below the ${euro(thresholdUnits)} threshold you chose.`,
    ],
    action: { label: 'Add funds', path: '/funds' },
  }),
  second_factor_changed: () => ({
    subject: 'Two-step verification changed',
    paragraphs: [
      'The two-step verification of your account has just been changed.',
      'If this was not you, reset your password now and write to us.',
    ],
  }),
  ticket_answered: ({ ticketId, subject }) => ({
    subject: `We answered your support request: ${subject}`,
    paragraphs: [`There is a new answer to your support request #${ticketId}, “${subject}”.`],
    action: { label: 'Read the answer', path: `/support/${ticketId}` },
  }),
  ticket_opened: ({ ticketId, subject }) => ({
    subject: `New support request #${ticketId}: ${subject}`,
    paragraphs: [`A customer opened the support request #${ticketId}, “${subject}”.`],
    action: { label: 'Open the request', path: `/admin/support/${ticketId}` },
  }),
  ticket_customer_message: ({ ticketId, subject }) => ({
    subject: `New message on support request #${ticketId}: ${subject}`,
    paragraphs: [`The customer wrote again on the support request #${ticketId}, “${subject}”.`],
    action: { label: 'Open the request', path: `/admin/support/${ticketId}` },
  }),
};
