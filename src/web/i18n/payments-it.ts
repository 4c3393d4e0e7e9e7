import type { PaymentMethod, PaymentStatus } from '../../domain/payments.js';
/** Italian strings of the customer's payments: add funds, payment list and detail, receipts. */
export const paymentsIt = {
  nav: { funds: 'Ricarica', payments: 'Pagamenti' },
  funds: {
    title: 'Ricarica il saldo',
    lead: 'Aggiungi credito al tuo saldo in euro per pagare gli ordini.',
    amount: 'Importo (€)',
    amountHint: (min: string, max: string) => `Da ${min} a ${max}. Puoi usare la virgola: 25,50.`,
    quickPicks: 'Importi rapidi',
    methods: 'Come vuoi pagare?',
    payCard: 'Paga con carta',
    cardHint:
      'Pagamento sicuro sulla pagina del circuito di pagamento; il saldo si aggiorna in pochi secondi.',
    payBank: 'Bonifico bancario',
    bankHint:
      'Ricevi IBAN e causale; il saldo viene accreditato quando il bonifico arriva (1–2 giorni lavorativi).',
    noMethods:
      'Al momento non è attivo alcun metodo di pagamento. Contatta l’operatore per ricaricare il saldo.',
    outstandingTitle: 'Importo da saldare',
    outstanding: (amount: string) =>
      `Devi ${amount}: il tuo prossimo pagamento lo salda per primo e riattiva l’account.`,
    suspended: 'Il tuo account è sospeso finché l’importo dovuto non viene saldato.',
    openPayments: 'I tuoi pagamenti',
  },
  errors: {
    invalidAmount: 'Inserisci un importo in euro con al massimo due decimali, per esempio 25 o 25,50.',
  },
  result: {
    returnTitle: 'Pagamento ricevuto',
    returnLead:
      'Grazie! Il saldo viene accreditato appena il circuito di pagamento conferma la transazione, di solito in pochi secondi.',
    stillPending: 'In attesa di conferma… questa pagina si aggiorna da sola.',
    credited: (amount: string) => `Confermato: ${amount} accreditati sul tuo saldo.`,
    notCredited: 'Il pagamento non è andato a buon fine e non è stato addebitato nulla.',
    refresh: 'Aggiorna',
    cancelTitle: 'Pagamento annullato',
    cancelLead: 'Hai annullato il pagamento con carta: non è stato addebitato nulla.',
    tryAgain: 'Riprova la ricarica',
    toDashboard: 'Vai alla dashboard',
  },
  list: {
    title: 'Pagamenti',
    lead: 'Le tue ricariche: con carta, con bonifico o registrate dall’operatore.',
    empty: 'Nessun pagamento finora.',
    date: 'Data',
    method: 'Metodo',
    reference: 'Riferimento',
    amount: 'Importo',
    credited: 'Accreditato',
    status: 'Stato',
    receipt: 'Ricevuta',
    view: 'Dettagli',
  },
  methods: { card: 'Carta', bank_transfer: 'Bonifico', manual: 'Operatore' } satisfies Record<
    PaymentMethod,
    string
  >,
  statuses: {
    pending: 'In attesa',
    succeeded: 'Accreditato',
    failed: 'Non riuscito',
    expired: 'Scaduto',
    refunded: 'Rimborsato',
    partially_refunded: 'Rimborsato in parte',
    disputed: 'Contestato',
  } satisfies Record<PaymentStatus, string>,
  detail: {
    title: (reference: string) => `Pagamento ${reference}`,
    transferTitle: 'Istruzioni per il bonifico',
    transferLead: 'Fai un bonifico SEPA con questi dati:',
    iban: 'IBAN',
    beneficiary: 'Beneficiario',
    bic: 'BIC / SWIFT',
    amount: 'Importo',
    reference: 'Causale',
    referenceHint: 'Scrivi questo riferimento nella causale del bonifico, esattamente così com’è.',
    whenCredited:
      'Il saldo viene accreditato quando l’operatore vede arrivare il bonifico, di solito entro 1–2 giorni lavorativi.',
    noBank: 'Il bonifico non è più offerto: contatta l’operatore per questo pagamento.',
    created: 'Creato il',
    succeeded: 'Accreditato il',
    status: 'Stato',
    method: 'Metodo',
    credited: 'Accreditato',
    refunded: 'Rimborsato',
    receipt: 'Ricevuta',
    back: 'Tutti i pagamenti',
  },
  receipt: {
    title: (number: string) => `Ricevuta n. ${number}`,
    heading: 'Ricevuta di pagamento',
    number: 'Numero',
    issuer: 'Emessa da',
    vatId: 'P. IVA',
    customer: 'Cliente',
    date: 'Data',
    method: 'Metodo',
    reference: 'Riferimento',
    amount: 'Importo accreditato',
    note: 'Ricarica del saldo prepagato per servizi Inspiria. Orari in ora di Roma.',
    print: 'Stampa',
  },
};

export type PaymentMessages = typeof paymentsIt;
