/** The pages of email verification, password reset and sign-in links, in Italian. */
export const emailAccountsIt = {
  checkInboxTitle: 'Controlla la tua casella',
  checkInbox: (email: string) =>
    `Se l'indirizzo ${email} può essere usato, ti abbiamo appena scritto: apri l'email e segui il link per confermarlo. Poi accedi.`,
  requestThrottled: "Troppe richieste da questo indirizzo. Riprova tra un'ora.",
  verifiedTitle: 'Indirizzo confermato',
  verified: 'Grazie: il tuo indirizzo è confermato. Ora puoi inviare ordini e creare la chiave API.',
  linkInvalidTitle: 'Link non valido',
  linkInvalid: 'Questo link non è valido: è già stato usato o è scaduto. Chiedine uno nuovo.',
  unverifiedBanner: 'Conferma il tuo indirizzo email per inviare ordini e creare la chiave API.',
  resendButton: "Invia di nuovo l'email",
  resent: 'Ti abbiamo inviato una nuova email di conferma.',
  forgotLink: 'Password dimenticata?',
  forgotTitle: 'Password dimenticata',
  forgotIntro: "Scrivi l'indirizzo del tuo account: ti invieremo un link per scegliere una nuova password.",
  forgotButton: 'Invia il link',
  forgotSent: (email: string) =>
    `Se esiste un account con l'indirizzo ${email}, ti abbiamo inviato un link valido 30 minuti.`,
  resetTitle: 'Scegli una nuova password',
  resetButton: 'Salva la password',
  resetDone: 'Password cambiata: tutte le sessioni sono state chiuse. Accedi con la nuova password.',
  linkOffer: "Sei il titolare dell'account? Ricevi un link di accesso per email.",
  linkOfferButton: 'Inviami un link di accesso',
  linkSent: (email: string) =>
    `Se esiste un account con l'indirizzo ${email}, ti abbiamo inviato un link di accesso valido 15 minuti.`,
  signInLinkTitle: 'Accedi con il link',
  signInLinkButton: 'Accedi',
  notificationsTitle: 'Email di notifica',
  mailLanguage: 'Lingua delle email',
  lowBalance: 'Avvisami quando il saldo scende sotto (EUR)',
  lowBalanceHint: 'Lascia vuoto per nessun avviso.',
  lowBalanceInvalid: 'Scrivi un importo in euro, ad esempio 20 o 12,50.',
  saveNotifications: 'Salva',
  notificationsSaved: 'Preferenze salvate.',
};

export type EmailAccountMessages = typeof emailAccountsIt;
