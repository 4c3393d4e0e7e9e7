import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_STATEMENT_CHARS, parseCamt053 } from './bank-statement.js';
import { isDomainError } from './errors.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/camt053/${name}`, import.meta.url), 'utf8');
}

/** A minimal camt.053.001.02 document around the given entries. */
function statementWith(entries: string): string {
  return `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-02T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>IT60X0542811101000000123456</IBAN></Id></Acct>${entries}</Stmt>
</BkToCstmrStmt></Document>`;
}

function entryWithAmount(amount: string, currency = ' Ccy="EUR"'): string {
  return `<Ntry><Amt${currency}>${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>`;
}

function expectRefused(xml: string): void {
  let thrown: unknown;
  try {
    parseCamt053(xml);
  } catch (error) {
    thrown = error;
  }
  expect(isDomainError(thrown, 'invalid_statement')).toBe(true);
}

const ITALIAN_IBAN = 'IT60X0542811101000000123456';
const GERMAN_IBAN = 'DE89370400440532013000';

describe('parseCamt053 on a camt.053.001.02 statement', () => {
  const statement = parseCamt053(fixture('statement-001-02.xml'));

  it('reads the statement and its account', () => {
    expect(statement.statementIds).toEqual([`STMT-2024-03-01-${ITALIAN_IBAN}`]);
    expect(statement.accountIban).toBe(ITALIAN_IBAN);
    expect(statement.entries).toHaveLength(6);
  });

  it('reads every entry, amounts exact in units', () => {
    expect(
      statement.entries.map(({ direction, amountUnits, currency, references }) => ({
        direction,
        amountUnits,
        currency,
        references,
      })),
    ).toEqual([
      { direction: 'credit', amountUnits: 500_000, currency: 'EUR', references: ['INSP-7Q4K2M'] },
      { direction: 'credit', amountUnits: 125_000, currency: 'EUR', references: ['INSP-9XHW3R'] },
      { direction: 'credit', amountUnits: 1_000_001, currency: 'EUR', references: ['INSP-MN8PQR'] },
      // Well-formed but issued to nobody: finding it is the parser's job, rejecting it the importer's.
      { direction: 'credit', amountUnits: 200_000, currency: 'EUR', references: ['INSP-ZZZZZZ'] },
      { direction: 'debit', amountUnits: 71_600, currency: 'EUR', references: [] },
      { direction: 'credit', amountUnits: 300_000, currency: 'EUR', references: [] },
    ]);
  });

  it('reads the first entry in full', () => {
    expect(statement.entries[0]).toEqual({
      key: `${ITALIAN_IBAN}:2024030100000001`,
      direction: 'credit',
      amountUnits: 500_000,
      currency: 'EUR',
      bookingDate: '2024-03-01',
      valueDate: '2024-03-01',
      status: 'BOOK',
      reversal: false,
      debtorName: 'Mario Rossi',
      // EndToEndId NOTPROVIDED is left out: it is a placeholder, not something the payer wrote.
      remittance: 'Ricarica INSP-7Q4K2M grazie BONIFICO SEPA DA MARIO ROSSI',
      references: ['INSP-7Q4K2M'],
    });
  });

  it('keeps the EndToEndId, decodes entities in names and reads a DtTm booking date', () => {
    expect(statement.entries[1]?.remittance).toBe('pagamento servizi social insp 9xhw3r E2E-20240301-0002');
    expect(statement.entries[1]?.debtorName).toBe('Giulia Bianchi & Figli S.r.l.');
    expect(statement.entries[2]?.bookingDate).toBe('2024-03-01');
  });

  it('keys an entry without a servicer reference by statement and entry reference', () => {
    expect(statement.entries[5]?.key).toBe(`${ITALIAN_IBAN}:STMT-2024-03-01-${ITALIAN_IBAN}:6`);
  });

  it('gives the same keys on a second import', () => {
    const again = parseCamt053(fixture('statement-001-02.xml'));
    expect(again.entries.map((entry) => entry.key)).toEqual(statement.entries.map((entry) => entry.key));
    expect(new Set(again.entries.map((entry) => entry.key)).size).toBe(6);
  });
});

describe('parseCamt053 on a camt.053.001.08 statement with namespace prefixes', () => {
  const statement = parseCamt053(fixture('statement-001-08.xml'));
  const [split, firstOfBatch, secondOfBatch, reversal, pending] = statement.entries;

  it('reads the Sts/Cd and Dbtr/Pty/Nm forms', () => {
    expect(statement.statementIds).toEqual([`20240305-${GERMAN_IBAN}`]);
    expect(statement.accountIban).toBe(GERMAN_IBAN);
    expect(split).toMatchObject({
      key: `${GERMAN_IBAN}:2024030509124400417`,
      amountUnits: 752_500,
      status: 'BOOK',
      bookingDate: '2024-03-05',
      debtorName: 'Max Mustermann',
    });
  });

  it('finds a reference the bank cut across two 35-character lines', () => {
    expect(split?.remittance).toBe(
      'Aufladung Kundenkonto Ref. INSP-4HJ K7W vielen Dank SEPA Credit Transfer',
    );
    expect(split?.references).toEqual(['INSP-4HJK7W']);
  });

  it('splits a batch booking into its transactions, each with its own amount and key', () => {
    expect(statement.entries).toHaveLength(5);
    expect(firstOfBatch).toMatchObject({
      key: `${GERMAN_IBAN}:2024030511000000388#1`,
      amountUnits: 250_000,
      debtorName: 'Erika Musterfrau',
      remittance: 'INSP/C8DF2T INV-2024-0031',
      references: ['INSP-C8DF2T'],
    });
    expect(secondOfBatch).toMatchObject({
      key: `${GERMAN_IBAN}:2024030511000000388#2`,
      amountUnits: 350_000,
      debtorName: 'Hans Meier',
      references: ['INSP-5VBX9Y'],
    });
    expect((firstOfBatch?.amountUnits ?? 0) + (secondOfBatch?.amountUnits ?? 0)).toBe(600_000);
  });

  it('marks a reversal', () => {
    expect(reversal).toMatchObject({
      direction: 'debit',
      reversal: true,
      amountUnits: 97_500,
      valueDate: '2024-03-04',
      references: ['INSP-2B3C4D'],
    });
    expect(split?.reversal).toBe(false);
  });

  it('keys an entry with no bank reference by a hash of its content, the same on every import', () => {
    expect(pending?.status).toBe('PDNG');
    expect(pending?.amountUnits).toBe(100_000);
    expect(pending?.references).toEqual(['INSP-6RSTU8']);
    expect(pending?.key).toMatch(new RegExp(`^${GERMAN_IBAN}:[0-9a-f]{64}$`));
    expect(parseCamt053(fixture('statement-001-08.xml')).entries[4]?.key).toBe(pending?.key);
  });
});

describe('parseCamt053 on batches and keys', () => {
  const transaction = (amount: string | null, text: string) =>
    `<TxDtls>${amount === null ? '' : `<Amt Ccy="EUR">${amount}</Amt>`}<RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls>`;
  const batch = (first: string | null, second: string | null) =>
    statementWith(`<Ntry><NtryRef>9</NtryRef><Amt Ccy="EUR">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
      <NtryDtls>${transaction(first, 'INSP-7Q4K2M')}${transaction(second, 'INSP-9XHW3R')}</NtryDtls>
      <AddtlNtryInf>SAMMLER</AddtlNtryInf></Ntry>`);

  it('keeps a batch whole when a transaction has no amount of its own, rather than count the total twice', () => {
    const { entries } = parseCamt053(batch('1.00', null));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      key: `${ITALIAN_IBAN}:S1:9`,
      amountUnits: 30_000,
      remittance: 'INSP-7Q4K2M INSP-9XHW3R SAMMLER',
      references: ['INSP-7Q4K2M', 'INSP-9XHW3R'],
    });
  });

  it('leaves the IBAN out of the key when the account has none', () => {
    const xml = statementWith(
      '<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><AcctSvcrRef>R1</AcctSvcrRef></Ntry>',
    ).replace(/<IBAN>.*<\/IBAN>/, '<Othr><Id>0532013000</Id></Othr>');
    const statement = parseCamt053(xml);
    expect(statement.accountIban).toBeNull();
    expect(statement.entries[0]?.key).toBe('R1');
  });

  it('hashes entries with the same content apart by their position', () => {
    const { entries } = parseCamt053(statementWith(entryWithAmount('5.00') + entryWithAmount('5.00')));
    expect(entries[0]?.key).not.toBe(entries[1]?.key);
  });
});

describe('parseCamt053 amounts', () => {
  it.each([
    ['50.00', 500_000],
    ['12.5', 125_000],
    ['0.0001', 1],
    ['10', 100_000],
    ['123456789.1234', 1_234_567_891_234],
  ])('reads %s as %d units', (amount, units) => {
    expect(parseCamt053(statementWith(entryWithAmount(amount))).entries[0]?.amountUnits).toBe(units);
  });

  it.each(['1.00001', '-5.00', '1e3', '1,00', '', '12.', '.5', '99999999999999999999'])(
    'refuses the amount %j',
    (amount) => {
      expectRefused(statementWith(entryWithAmount(amount)));
    },
  );

  it('refuses an amount without a currency and an entry without a direction', () => {
    expectRefused(statementWith(entryWithAmount('1.00', '')));
    expectRefused(statementWith('<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>X</CdtDbtInd></Ntry>'));
  });
});

describe('parseCamt053 refusals', () => {
  it('refuses a truncated file', () => {
    expectRefused(fixture('malformed.xml'));
  });

  it('refuses XML that is not a bank-to-customer statement', () => {
    expectRefused(fixture('not-camt.xml'));
    expectRefused('');
    expectRefused('just text');
    expectRefused('<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>');
  });

  it('refuses a DOCTYPE before expanding any entity', () => {
    expectRefused(fixture('entity-bomb.xml'));
    expectRefused(`<!DOCTYPE Document>${statementWith('')}`.replace('<?xml version="1.0"?>\n', ''));
  });

  it('refuses a document over the size cap without parsing it', () => {
    const padding = ' '.repeat(MAX_STATEMENT_CHARS);
    expectRefused(statementWith(entryWithAmount('1.00')).replace('<Stmt>', `<Stmt>${padding}`));
  });
});
