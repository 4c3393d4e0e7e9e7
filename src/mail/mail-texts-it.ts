import type { MailTexts } from '../domain/mail-kinds.js';
import { formatMoney } from '../web/i18n/format.js';

const euro = (units: number) => formatMoney('it', units);
const notYou = 'Se non sei stato tu, puoi ignorare questa email.';

export const MAIL_TEXTS_IT: MailTexts = {
  verify_email: ({ token }) => ({
    subject: 'Conferma il tuo indirizzo email',
    paragraphs: [
      'Grazie per esserti registrato. Conferma il tuo indirizzo per poter inviare ordini e ottenere la chiave API.',
      'Il link vale 48 ore e si può usare una sola volta.',
      notYou,
    ],
    action: { label: 'Conferma indirizzo', path: `/verify-email?token=${token}` },
  }),
  signup_existing: () => ({
    subject: 'Tentativo di registrazione con il tuo indirizzo',
    paragraphs: [
      'Qualcuno ha provato a creare un account con questo indirizzo email, ma un account esiste già.',
      'Se eri tu e non ricordi la password, puoi reimpostarla.',
      'Se non eri tu, non serve fare nulla: il tuo account non è cambiato.',
    ],
    action: { label: 'Reimposta la password', path: '/forgot-password' },
  }),
  reset_password: ({ token }) => ({
    subject: 'Reimposta la password',
    paragraphs: [
      'Hai chiesto di reimpostare la password. Il link vale 30 minuti e si può usare una sola volta.',
      notYou,
    ],
    action: { label: 'Scegli una nuova password', path: `/reset-password?token=${token}` },
  }),
  password_changed: () => ({
    subject: 'La tua password è stata cambiata',
    paragraphs: [
      'La password del tuo account è appena stata cambiata.',
      'Se non sei stato tu, reimposta subito la password e scrivici.',
    ],
    action: { label: 'Reimposta la password', path: '/forgot-password' },
  }),
  sign_in_link: ({ token }) => ({
    subject: 'Il tuo link di accesso',
    paragraphs: [
      'Ci sono stati molti tentativi di accesso al tuo account: per sicurezza entra con questo link.',
      'Il link vale 15 minuti e si può usare una sola volta.',
      notYou,
    ],
    action: { label: 'Accedi', path: `/sign-in-link?token=${token}` },
  }),
  deposit_credited: ({ amountUnits, balanceUnits }) => ({
    subject: `Ricarica accreditata: ${euro(amountUnits)}`,
    paragraphs: [
      `Abbiamo accreditato ${euro(amountUnits)} sul tuo saldo.`,
      `Saldo attuale: ${euro(balanceUnits)}.`,
    ],
    action: { label: 'I tuoi pagamenti', path: '/payments' },
  }),
  money_debited: ({ amountUnits, reason }) => ({
    subject: reason === 'refund' ? 'Rimborso addebitato sul saldo' : 'Contestazione addebitata sul saldo',
    paragraphs: [
      reason === 'refund'
        ? `Un pagamento è stato rimborsato: ${euro(amountUnits)} sono stati tolti dal saldo.`
        : `Un pagamento è stato contestato: ${euro(amountUnits)} sono stati tolti dal saldo.`,
    ],
    action: { label: 'I tuoi pagamenti', path: '/payments' },
  }),
  api_key_regenerated: ({ prefix }) => ({
    subject: 'Nuova chiave API',
    paragraphs: [
      `È stata creata una nuova chiave API (inizia con ${prefix}); la precedente non funziona più.`,
      'Se non sei stato tu, cambia subito la password.',
    ],
  }),
  low_balance: ({ balanceUnits, thresholdUnits }) => ({
    subject: `Saldo sotto ${euro(thresholdUnits)}`,
    paragraphs: [
      `Il tuo saldo è sceso a ${euro(balanceUnits)}, sotto la soglia di ${euro(thresholdUnits)} che hai scelto.`,
    ],
    action: { label: 'Ricarica il saldo', path: '/funds' },
  }),
  second_factor_changed: () => ({
    subject: 'Verifica in due passaggi modificata',
    paragraphs: [
      'La verifica in due passaggi del tuo account è appena stata modificata.',
      'Se non sei stato tu, reimposta subito la password e scrivici.',
    ],
  }),
  ticket_answered: ({ ticketId, subject }) => ({
    subject: `Abbiamo risposto alla tua richiesta di assistenza: ${subject}`,
    paragraphs: [`C’è una nuova risposta alla tua richiesta di assistenza n. ${ticketId}, «${subject}».`],
    action: { label: 'Leggi la risposta', path: `/support/${ticketId}` },
  }),
  ticket_opened: ({ ticketId, subject }) => ({
    subject: `Nuova richiesta di assistenza n. ${ticketId}: ${subject}`,
    paragraphs: [`Un cliente ha aperto la richiesta di assistenza n. ${ticketId}, «${subject}».`],
    action: { label: 'Apri la richiesta', path: `/admin/support/${ticketId}` },
  }),
  ticket_customer_message: ({ ticketId, subject }) => ({
    subject: `Nuovo messaggio sulla richiesta di assistenza n. ${ticketId}: ${subject}`,
    paragraphs: [
      `Il cliente ha scritto di nuovo sulla richiesta di assistenza n. ${ticketId}, «${subject}».`,
    ],
    action: { label: 'Apri la richiesta', path: `/admin/support/${ticketId}` },
  }),
};
