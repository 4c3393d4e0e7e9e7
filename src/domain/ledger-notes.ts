/**
 * The notes the panel itself writes on ledger entries, as markers: the stored text stays as it
 * always was (old rows keep it), and pages recognise the marker to word it in their language.
 * Any other note is an operator's own words and is shown as typed.
 */
export const OPENING_BALANCE_NOTE = 'opening balance';
export const OUTSTANDING_SETTLED_NOTE = 'outstanding amount settled';
