import type { EmailAccountMessages } from './email-accounts-it.js';

export const emailAccountsEn: EmailAccountMessages = {
  checkInboxTitle: 'Check your inbox',
  checkInbox: (email: string) =>
    `If the address ${email} can be used, we have just written to it: open the email and follow the link to confirm it. Then log in.`,
  requestThrottled: 'Too many requests from this address. Try again in an hour.',
  verifiedTitle: 'Address confirmed',
  verified: 'Thank you: your address is confirmed. You can now place orders and create your API key.',
  linkInvalidTitle: 'Link not valid',
  linkInvalid: 'This link is not valid: it was already used or it expired. Ask for a new one.',
  unverifiedBanner: 'Confirm your email address to place orders and create your API key.',
  resendButton: 'Send the email again',
  resent: 'We sent you a new confirmation email.',
  forgotLink: 'Forgot your password?',
  forgotTitle: 'Forgot password',
  forgotIntro: 'Enter the address of your account: we will send you a link to choose a new password.',
  forgotButton: 'Send the link',
  forgotSent: (email: string) =>
    `If an account with the address ${email} exists, we sent it a link valid for 30 minutes.`,
  resetTitle: 'Choose a new password',
  resetButton: 'Save the password',
  resetDone: 'Password changed: every session was ended. Log in with the new password.',
  linkOffer: 'Are you the owner of this account? Get a sign-in link by email.',
  linkOfferButton: 'Send me a sign-in link',
  linkSent: (email: string) =>
    `If an account with the address ${email} exists, we sent it a sign-in link valid for 15 minutes.`,
  signInLinkTitle: 'Sign in with the link',
  signInLinkButton: 'Sign in',
  notificationsTitle: 'Email notifications',
  mailLanguage: 'Language of the emails',
  lowBalance: 'Tell me when the balance falls below (EUR)',
  lowBalanceHint: 'Leave empty for no warning.',
  lowBalanceInvalid: 'Enter an amount in euros, for example 20 or 12.50.',
  saveNotifications: 'Save',
  notificationsSaved: 'Preferences saved.',
};
