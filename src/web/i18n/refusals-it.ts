import { parseBackend } from '../../domain/backends.js';
import type { ProviderFailureReason } from '../../domain/errors.js';
import { formatAmount, formatInteger, formatMoney } from './format.js';
import { weakPasswordText } from './password-feedback.js';
import type { RefusalTexts } from './refusals.js';
import { orderStatusName, paymentStatusName } from './vocabulary.js';

const money = (units: number) => formatMoney('it', units);
const amount = (units: number) => formatAmount('it', units);
const whole = (value: number) => formatInteger('it', value);

const LINK_REQUIRED: Readonly<Record<string, string>> = {
  post_url: 'Questo servizio richiede l’URL di un post (es. instagram.com/p/...).',
  reel_url: 'Questo servizio richiede l’URL di un reel (es. instagram.com/reel/...).',
  username: 'Questo servizio richiede un nome utente Instagram (es. mionomeutente).',
};

/** One fixed sentence per kind of failure: never what the upstream said. */
const UPSTREAM_FAILURE: Record<ProviderFailureReason, string> = {
  unreachable: 'non è raggiungibile',
  timeout: 'non ha risposto in tempo',
  not_api_v2: 'non ha dato una risposta API v2',
  forbidden_address: 'porta a una rete interna: la richiesta non è stata inviata',
  too_large: 'ha mandato una risposta oltre 1 MiB: è stata interrotta',
  rejected: 'ha rifiutato la richiesta: controlla la chiave API',
};

/** Every refusal in Italian, with money and numbers as an Italian page writes them. */
export const REFUSALS_IT: RefusalTexts = {
  unauthorized: () => 'Chiave API mancante o non valida.',
  account_suspended: () => 'L’account è sospeso.',
  invalid_action: () => 'Azione non valida.',
  refill_not_supported: () => 'La ricarica (refill) non è disponibile.',
  invalid_service: () => 'Scegli un servizio attivo.',
  invalid_link: (d) => LINK_REQUIRED[d.linkType] ?? 'Il link non è valido.',
  quantity_out_of_range: (d) => `La quantità deve essere tra ${whole(d.min)} e ${whole(d.max)}.`,
  quantity_mismatch: (d) => `La quantità deve essere uguale al numero di commenti (${whole(d.count)}).`,
  insufficient_balance: (d) =>
    `Saldo insufficiente: servono ${money(d.requiredUnits)}, disponibili ${money(d.availableUnits)}.`,
  incorrect_order_id: () => 'Numero d’ordine non valido.',
  too_many_orders: () => 'Troppi ordini in una richiesta (massimo 100).',
  idempotency_key_reused: () => 'Questa richiesta è già stata inviata con dati diversi.',
  order_not_cancellable: (d) =>
    `L’ordine non può più essere annullato: è ${orderStatusName('it', d.status)}.`,
  cancel_not_supported: () => 'Questo servizio non supporta l’annullamento.',
  dripfeed_not_supported: () => 'Questo servizio non supporta il rilascio graduale.',
  runs_out_of_range: (d) => `Il numero di turni deve essere tra ${whole(d.min)} e ${whole(d.max)}.`,
  interval_out_of_range: (d) => `L’intervallo deve essere tra ${whole(d.min)} e ${whole(d.max)} minuti.`,
  charge_changed: () =>
    'Il costo è cambiato da quando l’hai visto: controllalo di nuovo prima di confermare.',
  mass_order_line_malformed: () =>
    'Scrivi la riga come servizio|link|quantità (es. 101|instagram.com/p/ABC|500).',
  mass_order_empty: () => 'Scrivi almeno una riga servizio|link|quantità.',
  deposit_out_of_range: (d) => `L’importo deve essere tra ${amount(d.min)} e ${amount(d.max)}.`,
  payment_method_unavailable: () => 'Questo metodo di pagamento non è disponibile.',
  too_many_open_transfers: (d) =>
    `Hai già ${whole(d.max)} bonifici in attesa: completa o attendi quelli prima di richiederne un altro.`,
  payment_not_found: () => 'Nessun bonifico con questo riferimento.',
  payment_not_pending: (d) => `Il pagamento non è più in attesa: è ${paymentStatusName('it', d.status)}.`,
  payment_provider_unavailable: () =>
    'Il circuito di pagamento con carta non è raggiungibile: riprova tra poco o paga con bonifico.',
  invalid_statement: () => 'Il file non è un estratto conto CAMT.053 leggibile.',
  account_not_found: () => 'Cliente non trovato.',
  email_invalid: () => 'Inserisci un indirizzo email valido.',
  email_taken: () => 'Esiste già un account con questa email.',
  email_unverified: () =>
    "Prima conferma il tuo indirizzo email: segui il link nell'email che ti abbiamo inviato.",
  password_too_short: (d) => `La password deve avere almeno ${whole(d.min)} caratteri.`,
  password_too_long: (d) => `La password può avere al massimo ${whole(d.max)} caratteri.`,
  password_too_weak: (d) => weakPasswordText('it', d),
  opening_balance_invalid: () => 'Il saldo iniziale deve essere zero o più.',
  reason_required: () => 'Il motivo è obbligatorio.',
  amount_invalid: () => 'Inserisci un importo maggiore di zero.',
  service_not_found: () => 'Servizio non trovato.',
  service_exists: () => 'Esiste già un servizio con questo ID.',
  service_id_invalid: () => 'L’ID del servizio deve essere un numero intero positivo.',
  service_name_invalid: (d) => `Il nome deve avere da 1 a ${whole(d.max)} caratteri.`,
  service_category_invalid: (d) => `La categoria deve avere da 1 a ${whole(d.max)} caratteri.`,
  service_link_type_invalid: () => 'Scegli un tipo di link valido.',
  service_description_invalid: (d) => `Una descrizione può avere al massimo ${whole(d.max)} caratteri.`,
  rate_invalid: () => 'Il prezzo deve essere zero o più.',
  quantity_limits_invalid: (d) => `Servono numeri interi con 1 ≤ minimo ≤ massimo ≤ ${whole(d.max)}.`,
  charge_too_large: () => 'Prezzo × quantità massima è troppo grande per un solo ordine.',
  backend_invalid: () => 'La consegna deve essere operatore, simulatore o upstream:NOME.',
  upstream_service_id_required: () =>
    'Un servizio di un fornitore richiede l’ID del servizio presso il fornitore.',
  provider_not_found: (d) => `Nessun fornitore di nome ${d.name}.`,
  provider_exists: () => 'Esiste già un fornitore con questo nome.',
  provider_name_invalid: () => 'Il nome del fornitore può avere da 1 a 64 lettere, cifre, “.”, “_” o “-”.',
  provider_url_invalid: () => 'L’URL deve iniziare con http:// o https://.',
  provider_url_credentials: () => 'L’URL non deve contenere credenziali.',
  provider_key_invalid: () => 'La chiave deve avere da 8 a 500 caratteri, senza spazi.',
  provider_url_forbidden: () =>
    'L’URL non può portare a loopback, a una rete privata o a un altro indirizzo interno.',
  provider_call_failed: (d) => `Il fornitore ${d.provider} ${UPSTREAM_FAILURE[d.reason]}.`,
  markup_invalid: () => 'Il ricarico è una percentuale da 0 a 1000, con al massimo 2 decimali.',
  margin_floor_invalid: () => 'Il margine minimo è una percentuale da 0 a 99, con al massimo 2 decimali.',
  eur_rate_invalid: () => 'Il cambio è un numero positivo di EUR per unità, con al massimo 6 decimali.',
  low_balance_invalid: () => 'La soglia del saldo è un importo con al massimo 4 decimali, oppure vuota.',
  report_period_invalid: () =>
    'Il periodo è fatto di due giorni (AAAA-MM-GG), il primo non dopo l’ultimo, al massimo 400 giorni.',
  cost_invalid: () => 'Il costo per 1000 è un importo in EUR con al massimo 4 decimali, oppure vuoto.',
  order_not_found: () => 'Ordine non trovato.',
  order_not_open: (d) => `L’ordine non può più cambiare: è ${orderStatusName('it', d.status)}.`,
  order_not_operator: (d) => `Questo ordine è consegnato da ${backendName(d.backend)}, non dall’operatore.`,
  delivered_quantity_invalid: () => 'La quantità consegnata deve essere un numero intero di almeno 1.',
  start_count_invalid: () => 'Il conteggio iniziale deve essere un numero intero.',
  delivered_exceeds_remains: (d) => `Rimangono solo ${whole(d.remains)} unità da consegnare.`,
  drip_run_not_due: (d) =>
    `Il turno ${whole(d.runNumber)} di questo ordine a rilascio graduale non è ancora previsto.`,
  ticket_not_found: () => 'Richiesta di assistenza non trovata.',
  ticket_subject_invalid: (d) => `L’oggetto deve avere da 1 a ${whole(d.max)} caratteri.`,
  ticket_message_invalid: (d) => `Il messaggio deve avere da 1 a ${whole(d.max)} caratteri.`,
  ticket_rate_limited: (d) =>
    `Hai già inviato ${whole(d.max)} messaggi negli ultimi ${whole(d.minutes)} minuti: riprova tra poco.`,
};

function backendName(backend: string): string {
  const parsed = parseBackend(backend);
  if (parsed?.kind === 'upstream') return `il fornitore ${parsed.provider}`;
  return parsed?.kind === 'simulator' ? 'il simulatore' : backend;
}
