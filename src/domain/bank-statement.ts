/**
 * Reads a bank's CAMT.053 end-of-day statement (ISO 20022 BkToCstmrStmt, camt.053.001.02 to
 * .08) into the entries an import needs to match transfers to payment references. Pure: the
 * caller reads the file and decides what to credit.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from './errors.js';
import { parseEuros, type Units } from './money.js';
import { findPaymentReferences } from './payment-reference.js';

export interface BankStatement {
  statementIds: string[];
  /** The account the statements share; null when none names an IBAN or they name different ones. */
  accountIban: string | null;
  entries: StatementEntry[];
}

export interface StatementEntry {
  /**
   * Stable across imports of the same statement, so an entry is recognised the second time:
   * "IBAN:AcctSvcrRef", else "IBAN:statement id:NtryRef", else "IBAN:" and a SHA-256 of the
   * entry's content; "#n" appended for the n-th transaction of a batch booking.
   */
  key: string;
  direction: 'credit' | 'debit';
  /** 0.0001 units of `currency`, parsed exactly from the decimal text. */
  amountUnits: Units;
  currency: string;
  /** YYYY-MM-DD. */
  bookingDate: string | null;
  valueDate: string | null;
  /** BOOK, PDNG, INFO... as the bank sent it. */
  status: string | null;
  reversal: boolean;
  debtorName: string | null;
  /** Unstructured and structured remittance, EndToEndId and additional info, space-joined. */
  remittance: string;
  references: string[];
}

/** Far above a real day's statement, and small enough to parse without worry. */
export const MAX_STATEMENT_CHARS = 10 * 1024 * 1024;

// Elements that may repeat, so a document with one of them still yields an array.
const REPEATING = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd']);

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (tagName, _path, _isLeaf, isAttribute) => !isAttribute && REPEATING.has(tagName),
});

function notCamt053(): DomainError {
  return new DomainError('invalid_statement');
}

/** Parses a CAMT.053 document; throws `invalid_statement` for anything else. */
export function parseCamt053(xml: string): BankStatement {
  const document = readDocument(xml);
  const statements = children(child(document, 'BkToCstmrStmt'), 'Stmt');
  if (statements.length === 0) throw notCamt053();
  const ibans = new Set<string | null>();
  const statementIds: string[] = [];
  const entries: StatementEntry[] = [];
  for (const statement of statements) {
    const id = requiredText(statement, 'Id');
    const iban = textAt(statement, 'Acct', 'Id', 'IBAN');
    statementIds.push(id);
    ibans.add(iban);
    children(statement, 'Ntry').forEach((entry, index) => {
      entries.push(...readEntry(entry, { statementId: id, iban, index }));
    });
  }
  const [onlyIban] = ibans;
  return { statementIds, accountIban: ibans.size === 1 ? (onlyIban ?? null) : null, entries };
}

/** The document's root element, after the checks that keep hostile input cheap to refuse. */
function readDocument(xml: string): unknown {
  if (xml.length > MAX_STATEMENT_CHARS) throw notCamt053();
  // A statement never needs a DTD, and refusing one outright is the only sure defence against
  // entity expansion ("billion laughs") and external entities, whatever the parser's limits.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw notCamt053();
  // The parser itself is forgiving about unclosed or mismatched tags; the validator is not.
  if (XMLValidator.validate(xml) !== true) throw notCamt053();
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch {
    throw notCamt053();
  }
  // Some banks wrap the statement in an envelope element other than Document.
  const roots = isRecord(parsed) ? Object.entries(parsed).filter(([name]) => !name.startsWith('?')) : [];
  const root = roots.find(([, value]) => child(value, 'BkToCstmrStmt') !== undefined);
  if (!root) throw notCamt053();
  return root[1];
}

interface EntryContext {
  statementId: string;
  iban: string | null;
  index: number;
}

/** One Ntry: one StatementEntry, or one per transaction when it books a batch. */
function readEntry(entry: unknown, context: EntryContext): StatementEntry[] {
  const { amountUnits, currency } = readAmount(child(entry, 'Amt'));
  const direction = readDirection(textAt(entry, 'CdtDbtInd'));
  const bookingDate = readDate(child(entry, 'BookgDt'));
  const transactions = children(entry, 'NtryDtls').flatMap((details) => children(details, 'TxDtls'));
  const additionalInfo = textAt(entry, 'AddtlNtryInf');
  const common = {
    direction,
    currency,
    bookingDate,
    valueDate: readDate(child(entry, 'ValDt')),
    status: textAt(entry, 'Sts') ?? textAt(entry, 'Sts', 'Cd') ?? textAt(entry, 'Sts', 'Prtry'),
    reversal: ['true', '1'].includes(textAt(entry, 'RvslInd') ?? ''),
  };
  const whole = describeTransactions(transactions, additionalInfo);
  const key = entryKey(entry, context, [amountUnits, currency, bookingDate, whole.remittance]);
  // A batch is split only when every transaction carries its own amount: giving each the
  // entry's total instead would credit the booking several times over.
  const amounts = transactions.map(readTransactionAmount);
  if (transactions.length < 2 || !amounts.every((amount): amount is Amount => amount !== null)) {
    return [{ key, amountUnits, ...common, ...whole }];
  }
  return amounts.map((amount, n) => ({
    key: `${key}#${n + 1}`,
    ...common,
    ...amount,
    // The entry's additional info describes the whole batch, so a reference in it would
    // match every transaction; each keeps to its own remittance.
    ...describeTransactions([transactions[n]], null),
  }));
}

function entryKey(entry: unknown, context: EntryContext, content: (string | number | null)[]): string {
  const prefix = context.iban === null ? '' : `${context.iban}:`;
  const servicerRef = textAt(entry, 'AcctSvcrRef');
  if (servicerRef) return prefix + servicerRef;
  // NtryRef is often a sequence number within one statement ("1", "2"...), so it is
  // scoped by the statement's id to stay unique across statements.
  const entryRef = textAt(entry, 'NtryRef');
  if (entryRef) return `${prefix}${context.statementId}:${entryRef}`;
  const digest = createHash('sha256')
    .update(JSON.stringify([context.statementId, context.index, ...content]))
    .digest('hex');
  return prefix + digest;
}

interface Description {
  remittance: string;
  debtorName: string | null;
  references: string[];
}

/** The remittance text, the first debtor's name and the references found for transactions. */
function describeTransactions(transactions: unknown[], additionalInfo: string | null): Description {
  const parts: string[] = [];
  const unstructured: string[] = [];
  let debtorName: string | null = null;
  for (const transaction of transactions) {
    const remittanceInfo = child(transaction, 'RmtInf');
    const lines = children(remittanceInfo, 'Ustrd').flatMap((line) => text(line) ?? []);
    unstructured.push(...lines);
    parts.push(...lines);
    for (const structured of children(remittanceInfo, 'Strd')) {
      parts.push(...children(child(structured, 'CdtrRefInf'), 'Ref').flatMap((ref) => text(ref) ?? []));
    }
    const endToEndId = textAt(transaction, 'Refs', 'EndToEndId');
    if (endToEndId && endToEndId !== 'NOTPROVIDED') parts.push(endToEndId);
    const transactionInfo = textAt(transaction, 'AddtlTxInf');
    if (transactionInfo) parts.push(transactionInfo);
    const debtor = child(child(transaction, 'RltdPties'), 'Dbtr');
    debtorName ??= textAt(debtor, 'Nm') ?? textAt(debtor, 'Pty', 'Nm');
  }
  if (additionalInfo) parts.push(additionalInfo);
  const remittance = parts.filter((part) => part !== '').join(' ');
  // Banks cut Ustrd into 35-character lines, sometimes in the middle of a reference, so the
  // lines are also searched glued back together without the separator.
  const references = new Set([
    ...findPaymentReferences(remittance),
    ...findPaymentReferences(unstructured.join('')),
  ]);
  return { remittance, debtorName, references: [...references] };
}

interface Amount {
  amountUnits: Units;
  currency: string;
}

function readTransactionAmount(transaction: unknown): Amount | null {
  const amount = child(child(child(transaction, 'AmtDtls'), 'TxAmt'), 'Amt') ?? child(transaction, 'Amt');
  return amount === undefined ? null : readAmount(amount);
}

/** `<Amt Ccy="EUR">50.00</Amt>`: a non-negative decimal of at most 4 fractional digits. */
function readAmount(amount: unknown): Amount {
  const currency = isRecord(amount) ? amount['@_Ccy'] : undefined;
  const digits = text(amount);
  // ISO 20022 amounts carry no sign (CdtDbtInd does), so a "-" is as malformed as "1e3".
  const amountUnits = digits === null || digits.startsWith('-') ? undefined : parseEuros(digits);
  if (amountUnits === undefined || typeof currency !== 'string' || currency === '') throw notCamt053();
  return { amountUnits, currency };
}

function readDirection(indicator: string | null): 'credit' | 'debit' {
  if (indicator === 'CRDT') return 'credit';
  if (indicator === 'DBIT') return 'debit';
  throw notCamt053();
}

/** `<BookgDt><Dt>2024-03-01</Dt></BookgDt>` or its `<DtTm>` form, as YYYY-MM-DD. */
function readDate(dateChoice: unknown): string | null {
  const value = textAt(dateChoice, 'Dt') ?? textAt(dateChoice, 'DtTm');
  const day = value?.slice(0, 10) ?? null;
  return day !== null && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null;
}

// Walking the parser's output, whose shape is only known at run time.

function isRecord(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function child(node: unknown, name: string): unknown {
  if (Array.isArray(node)) return child(node[0], name);
  return isRecord(node) && Object.hasOwn(node, name) ? node[name] : undefined;
}

function children(node: unknown, name: string): unknown[] {
  const value = child(node, name);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** An element's text, whether or not it has attributes; null for a structured element. */
function text(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (isRecord(node) && typeof node['#text'] === 'string') return node['#text'];
  return null;
}

function textAt(node: unknown, ...path: string[]): string | null {
  const value = text(path.reduce<unknown>((current, name) => child(current, name), node));
  return value === '' ? null : value;
}

function requiredText(node: unknown, name: string): string {
  const value = textAt(node, name);
  if (value === null) throw notCamt053();
  return value;
}
