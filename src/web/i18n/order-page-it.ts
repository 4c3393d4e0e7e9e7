import type { OrderStatus } from '../../domain/order-lifecycle.js';
import type { QuantityBand } from '../../domain/service-timing.js';

/** Italian strings of the order page, the mass order and the average time (issue 11). */
export const orderPageIt = {
  detail: {
    title: (id: number) => `Ordine #${id}`,
    placedAt: 'Piazzato il',
    completedAt: 'Completato il',
    service: 'Servizio',
    description: 'Descrizione',
    link: 'Link',
    quantity: 'Quantità',
    startCount: 'Conteggio iniziale',
    startCountUnknown: 'non ancora rilevato',
    delivered: 'Consegnati',
    remains: 'Rimanenti',
    charge: 'Addebitato',
    refunded: 'Rimborsato',
    net: 'Costo netto',
    status: 'Stato',
    statusMeanings: {
      Pending: 'In coda: la consegna non è ancora iniziata.',
      'In progress': 'La consegna è in corso.',
      Completed: 'Consegnato per intero.',
      Partial: 'Consegnato in parte: la parte non consegnata è stata rimborsata.',
      Canceled: 'Annullato: la parte non consegnata è stata rimborsata.',
      Error: 'Non è stato possibile consegnarlo: la parte non consegnata è stata rimborsata.',
    } satisfies Record<OrderStatus, string>,
    comments: (count: string) => `Commenti (${count})`,
    runsTitle: (count: string) => `Turni (${count})`,
    run: 'Turno',
    dueAt: 'Previsto',
    runDelivered: 'Consegnati',
    runStatuses: { waiting: 'In attesa', running: 'In corso', done: 'Consegnato', stopped: 'Fermato' },
    ledgerTitle: 'Movimenti del saldo di questo ordine',
    ledgerEmpty: 'Nessun movimento per questo ordine.',
    cancel: 'Annulla l’ordine',
    orderAgain: 'Ordina di nuovo',
    backToOrders: 'Tutti gli ordini',
    canceled: (amount: string) => `Ordine annullato: rimborsati ${amount}.`,
    refundChanged: (shown: string, refunded: string) =>
      `L’ordine è avanzato tra l’anteprima e la conferma: ti avevamo mostrato ${shown}, il rimborso effettivo è ${refunded}.`,
  },
  mass: {
    title: 'Ordine multiplo',
    nav: 'Ordine multiplo',
    lead: 'Un ordine per riga, nella forma servizio|link|quantità, fino a 100 righe. Ogni riga è controllata e addebitata da sola: prima vedi il totale, poi confermi.',
    linesLabel: 'Ordini, uno per riga',
    linesHint: 'Esempio: 101|https://www.instagram.com/p/ABCDE12345/|500',
    review: 'Controlla le righe e il totale',
    previewTitle: 'Controlla l’ordine multiplo',
    line: 'Riga',
    service: 'Servizio',
    link: 'Link',
    quantity: 'Quantità',
    charge: 'Costo',
    outcome: 'Esito',
    willPlace: 'Da piazzare',
    total: (count: string) => `Totale per ${count} ordini`,
    balance: 'Saldo disponibile',
    balanceAfter: 'Saldo dopo gli ordini',
    refusedNote: (count: string) =>
      `${count} righe rifiutate non verranno piazzate: correggile con «Modifica» oppure conferma solo le altre.`,
    shortNote:
      'Il saldo non copre il totale: le righe verranno addebitate in ordine finché il saldo basta, le altre saranno rifiutate.',
    nothingToPlace: 'Nessuna riga può essere piazzata: correggi le righe e riprova.',
    confirm: (count: string, amount: string) => `Conferma e paga ${count} ordini (${amount})`,
    edit: 'Modifica',
    resultsTitle: 'Risultato dell’ordine multiplo',
    placedOrder: (id: number) => `Ordine #${id}`,
    summary: (placed: string, refused: string, amount: string) =>
      `${placed} ordini piazzati per ${amount}, ${refused} righe rifiutate.`,
    alreadyPlaced:
      'Questo ordine multiplo era già stato confermato: ecco il suo risultato, nulla è stato piazzato di nuovo.',
    expired: 'Questa conferma non è più valida: ricontrolla le righe.',
    another: 'Nuovo ordine multiplo',
  },
  timing: {
    title: 'Tempo medio',
    explain: (count: string, threshold: string) =>
      `Mediana dal piazzamento al completamento degli ultimi ${count} ordini completati del servizio, per quantità; la mostriamo da ${threshold} ordini in su.`,
    bands: {
      small: 'fino a 999',
      medium: 'da 1.000 a 9.999',
      large: 'da 10.000',
    } satisfies Record<QuantityBand['id'], string>,
    notEnough: (count: string, threshold: string) =>
      `dati non ancora sufficienti (${count} di ${threshold} ordini completati)`,
    underMinute: 'meno di un minuto',
    minutes: (m: number) => `${m} min`,
    hours: (h: number, m: number) => (m === 0 ? `${h} h` : `${h} h ${m} min`),
    days: (d: number, h: number) => (h === 0 ? `${d} g` : `${d} g ${h} h`),
  },
  form: {
    balance: (amount: string) => `Saldo disponibile: ${amount}`,
    commentsList: (count: string) => `Commenti (${count})`,
  },
  dashboard: {
    windowSpend: (amount: string) =>
      `Spesa netta degli ultimi 14 giorni fino all’ultima ora intera (quella che decide il livello): ${amount}`,
    chartNote:
      'Il grafico mostra la spesa netta giorno per giorno negli ultimi 30 giorni, oggi compreso: copre un periodo più lungo della cifra dei 14 giorni e si aggiorna subito, quindi le due cifre possono differire.',
  },
};

export type OrderPageMessages = typeof orderPageIt;
