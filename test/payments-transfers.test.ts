import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type AppContext, createAppContext } from '../src/app/context.js';
import { creditAccount } from '../src/app/credit-account.js';
import { exportPaymentsCsv } from '../src/app/export-payments-csv.js';
import { importBankStatement } from '../src/app/import-bank-statement.js';
import { listPayments } from '../src/app/list-payments.js';
import { DEFAULT_PAYMENT_SETTINGS } from '../src/app/payment-settings.js';
import { requestBankTransfer } from '../src/app/request-bank-transfer.js';
import { confirmBankTransfer, rejectBankTransfer } from '../src/app/settle-bank-transfer.js';
import { verifyLedger } from '../src/app/verify-ledger.js';
import { isDomainError } from '../src/domain/errors.js';
import { openStorage } from '../src/storage/connection.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { initialMigration } from '../src/storage/migrations/001-initial.js';
import { engineMigration } from '../src/storage/migrations/002-engine.js';
import { webSessionsMigration } from '../src/storage/migrations/003-web-sessions.js';
import { adminIndexesMigration } from '../src/storage/migrations/004-admin-indexes.js';
import { findPaymentByReference } from '../src/storage/payments-repository.js';
import { createCustomer } from './support/api-server.js';
import { balanceOf, expectLedgerOk } from './support/api-state.js';
import { describeEachDatabase, isPostgresAvailable, POSTGRES_URL } from './support/databases.js';

const BANK = { iban: 'IT60X0542811101000000123456', beneficiary: 'Inspiria Srl', bic: 'BPMOIT22XXX' };

/** A CAMT.053 statement shaped as an Italian bank exports it, one credit per entry given. */
function statement(
  id: string,
  entries: { ref: string; amount: string; text: string; direction?: string }[],
): string {
  const ntry = entries
    .map(
      (e) => `
      <Ntry>
        <NtryRef>${e.ref}</NtryRef>
        <Amt Ccy="EUR">${e.amount}</Amt>
        <CdtDbtInd>${e.direction ?? 'CRDT'}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-27</Dt></BookgDt>
        <ValDt><Dt>2026-11-27</Dt></ValDt>
        <AcctSvcrRef>${id}-${e.ref}</AcctSvcrRef>
        <BkTxCd><Prtry><Cd>48</Cd><Issr>ABI</Issr></Prtry></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><Dbtr><Nm>Mario Rossi</Nm></Dbtr></RltdPties>
          <RmtInf><Ustrd>${e.text}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${id}</MsgId><CreDtTm>2026-11-28T06:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${id}</Id>
      <Acct><Id><IBAN>${BANK.iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${ntry}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}

describeEachDatabase('bank transfers and statements', (db) => {
  let ctx: AppContext;
  const context = () => {
    ctx ??= createAppContext(db().storage, db().clock, {
      ...DEFAULT_PAYMENT_SETTINGS,
      bank: BANK,
      maxOpenTransfers: 3,
    });
    return ctx;
  };

  it('gives each request its own reference, keeps it pending, and caps the open requests per customer', async () => {
    const customer = await createCustomer(db());
    const requests = await Promise.all(
      Array.from({ length: 6 }, () =>
        requestBankTransfer(context(), { accountId: customer.id, amountUnits: 500_000 }).catch(
          (e: unknown) => e,
        ),
      ),
    );
    const made = requests.filter(
      (r): r is Awaited<ReturnType<typeof requestBankTransfer>> => !(r instanceof Error),
    );
    expect(made).toHaveLength(3);
    expect(requests.filter((r) => isDomainError(r, 'too_many_open_transfers'))).toHaveLength(3);
    const references = made.map((r) => r.payment.reference);
    expect(new Set(references).size).toBe(3);
    for (const reference of references)
      expect(reference).toMatch(/^INSP-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(made[0]?.bank).toEqual(BANK);
    expect(made.every((r) => r.payment.status === 'pending')).toBe(true);
    expect(await balanceOf(db(), customer.id)).toBe(0);
  });

  it('is not offered without an IBAN, and refuses amounts outside the limits', async () => {
    const customer = await createCustomer(db());
    const noBank = createAppContext(db().storage, db().clock);
    expect(
      isDomainError(
        await requestBankTransfer(noBank, { accountId: customer.id, amountUnits: 500_000 }).catch((e) => e),
        'payment_method_unavailable',
      ),
    ).toBe(true);
    for (const amountUnits of [0, 99_999, 50_000_001 * 100, undefined]) {
      const error = await requestBankTransfer(context(), { accountId: customer.id, amountUnits }).catch(
        (e) => e,
      );
      expect(isDomainError(error, 'deposit_out_of_range')).toBe(true);
    }
  });

  it('confirming credits what arrived once, even when ten confirmations race', async () => {
    const customer = await createCustomer(db());
    const { payment } = await requestBankTransfer(context(), {
      accountId: customer.id,
      amountUnits: 500_000,
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        confirmBankTransfer(context(), {
          reference: payment.reference.toLowerCase(),
          receivedUnits: 499_000,
          actor: 'test',
        }).catch((e: unknown) => e),
      ),
    );
    expect(results.filter((r) => !(r instanceof Error))).toHaveLength(1);
    expect(results.filter((r) => isDomainError(r, 'payment_not_pending'))).toHaveLength(9);
    expect(await balanceOf(db(), customer.id)).toBe(499_000);
    const stored = await findPaymentByReference(db().storage.db, payment.reference);
    expect(stored).toMatchObject({ status: 'succeeded', amount_units: 500_000, credited_units: 499_000 });
    expect(stored?.receipt_number).toMatch(/^2026\/\d{6}$/);
    await expectLedgerOk(db());
  });

  it('rejecting credits nothing; a rejected transfer that arrives after all can still be confirmed', async () => {
    const customer = await createCustomer(db());
    const { payment } = await requestBankTransfer(context(), {
      accountId: customer.id,
      amountUnits: 200_000,
    });
    await rejectBankTransfer(context(), { reference: payment.reference, actor: 'test' });
    expect(
      isDomainError(
        await rejectBankTransfer(context(), { reference: payment.reference, actor: 'test' }).catch((e) => e),
        'payment_not_pending',
      ),
    ).toBe(true);
    expect(await balanceOf(db(), customer.id)).toBe(0);
    await confirmBankTransfer(context(), {
      reference: payment.reference,
      receivedUnits: 200_000,
      actor: 'test',
    });
    expect(await balanceOf(db(), customer.id)).toBe(200_000);
    expect(
      isDomainError(
        await confirmBankTransfer(context(), {
          reference: 'INSP-ZZZZZZ',
          receivedUnits: 1,
          actor: 't',
        }).catch((e) => e),
        'payment_not_found',
      ),
    ).toBe(true);
  });

  it('receipt numbers run without gaps within the year', async () => {
    const customer = await createCustomer(db());
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { payment } = await requestBankTransfer(context(), {
        accountId: customer.id,
        amountUnits: 100_000,
      });
      await confirmBankTransfer(context(), {
        reference: payment.reference,
        receivedUnits: 100_000,
        actor: 'test',
      });
      numbers.push((await findPaymentByReference(db().storage.db, payment.reference))?.receipt_number ?? '');
    }
    const sequence = numbers.map((n) => Number(n.split('/')[1]));
    expect(sequence[1]).toBe((sequence[0] ?? 0) + 1);
    expect(sequence[2]).toBe((sequence[0] ?? 0) + 2);
  });

  it('imports a statement: matches references, reports the unknown and the differing amount, and credits nothing twice', async () => {
    const alice = await createCustomer(db());
    const bob = await createCustomer(db());
    const a = (await requestBankTransfer(context(), { accountId: alice.id, amountUnits: 500_000 })).payment;
    const b = (await requestBankTransfer(context(), { accountId: bob.id, amountUnits: 1_000_000 })).payment;
    const spaced = `${b.reference.slice(0, 4).toLowerCase()} ${b.reference.slice(5).toLowerCase()}`;
    const xml = statement(`S-${db().name}-1`, [
      { ref: '1', amount: '50.00', text: `Ricarica ${a.reference} grazie` },
      { ref: '2', amount: '99.50', text: `causale ${spaced}` },
      { ref: '3', amount: '20.00', text: 'Ricarica INSP-ZZZZZZ' },
      { ref: '4', amount: '7.00', text: 'bonifico senza riferimento' },
      { ref: '5', amount: '3.10', text: 'commissioni', direction: 'DBIT' },
    ]);
    const first = await importBankStatement(context(), { xml, actor: 'test' });
    expect(first.lines.map((l) => [l.outcome, l.amountUnits, l.reference])).toEqual([
      ['credited', 500_000, a.reference],
      ['credited_amount_differs', 995_000, b.reference],
      ['unknown_reference', 200_000, 'INSP-ZZZZZZ'],
      ['no_reference', 70_000, null],
      ['not_a_credit', 31_000, null],
    ]);
    expect(first.creditedUnits).toBe(1_495_000);
    expect(await balanceOf(db(), alice.id)).toBe(500_000);
    expect(await balanceOf(db(), bob.id)).toBe(995_000);

    const second = await importBankStatement(context(), { xml, actor: 'test' });
    expect(second.creditedUnits).toBe(0);
    expect(second.lines.slice(0, 4).map((l) => l.outcome)).toEqual(Array(4).fill('already_imported'));
    // The same money reported again in another statement is not credited twice either.
    const other = statement(`S-${db().name}-2`, [{ ref: '1', amount: '50.00', text: a.reference }]);
    expect((await importBankStatement(context(), { xml: other, actor: 'test' })).lines[0]?.outcome).toBe(
      'already_credited',
    );
    expect(await balanceOf(db(), alice.id)).toBe(500_000);
    await expectLedgerOk(db());
  });

  it('the same statement uploaded twice at once credits each transfer once', async () => {
    const customer = await createCustomer(db());
    const transfers = [];
    for (let i = 0; i < 3; i++) {
      transfers.push(
        (await requestBankTransfer(context(), { accountId: customer.id, amountUnits: 100_000 })).payment,
      );
    }
    const xml = statement(
      `S-${db().name}-race`,
      transfers.map((t, i) => ({ ref: String(i), amount: '10.00', text: t.reference })),
    );
    const results = await Promise.all(
      [1, 2, 3].map(() => importBankStatement(context(), { xml, actor: 'test' })),
    );
    expect(results.reduce((sum, r) => sum + r.creditedUnits, 0)).toBe(300_000);
    expect(await balanceOf(db(), customer.id)).toBe(300_000);
    await expectLedgerOk(db());
  });

  it('refuses a file that is not a CAMT.053 statement', async () => {
    for (const xml of ['<html></html>', 'not xml at all', '<Document><BkToCstmrStmt>']) {
      expect(
        isDomainError(
          await importBankStatement(context(), { xml, actor: 't' }).catch((e) => e),
          'invalid_statement',
        ),
      ).toBe(true);
    }
  });

  it('an operator credit is a manual payment; the admin list, totals and CSV export show the money', async () => {
    const customer = await createCustomer(db());
    await creditAccount(context(), {
      accountId: customer.id,
      amountUnits: 123_400,
      reason: 'cash',
      actor: 'test',
    });
    const list = await listPayments(context(), { method: 'manual', search: customer.email });
    expect(list.rows.map((r) => [r.email, r.status, Number(r.credited_units), r.note])).toEqual([
      [customer.email, 'succeeded', 123_400, 'cash'],
    ]);
    const today = list.days.at(-1);
    expect(today?.manualUnits).toBeGreaterThanOrEqual(123_400);
    const csv = await exportPaymentsCsv(context(), { method: 'manual' });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,reference,receipt_number,/);
    expect(lines.some((line) => line.includes(customer.email) && line.includes('12.3400'))).toBe(true);
  });

  it('ledger verify names a payment credited twice and a refund owed nowhere', async () => {
    const customer = await createCustomer(db());
    const { payment } = await requestBankTransfer(context(), {
      accountId: customer.id,
      amountUnits: 100_000,
    });
    await confirmBankTransfer(context(), {
      reference: payment.reference,
      receivedUnits: 100_000,
      actor: 'test',
    });
    await db()
      .storage.db.updateTable('payments')
      .set({ reversed_units: 50_000 })
      .where('id', '=', payment.id)
      .execute();
    const report = await verifyLedger(context());
    expect(report.violations).toContainEqual(
      `account ${customer.id} (${customer.email}): its payments took back 5.0000, but the ledger debited 0.0000 and 0.0000 is owed`,
    );
    await db()
      .storage.db.updateTable('payments')
      .set({ reversed_units: 0 })
      .where('id', '=', payment.id)
      .execute();
    await expectLedgerOk(db());
  });
});

async function freshStorage(name: 'sqlite' | 'postgres') {
  if (name === 'sqlite') {
    return {
      storage: openStorage(`sqlite:${join(tmpdir(), `inspiria-m005-${randomBytes(4).toString('hex')}.db`)}`),
      drop: async () => {},
    };
  }
  const schema = `m005_${randomBytes(4).toString('hex')}`;
  const admin = openStorage(POSTGRES_URL, { poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const storage = openStorage(`${POSTGRES_URL}?schema=${schema}`, { poolSize: 2 });
  return {
    storage,
    drop: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
}

const MIGRATED_DATABASES: ('sqlite' | 'postgres')[] = isPostgresAvailable
  ? ['sqlite', 'postgres']
  : ['sqlite'];

describe.each(MIGRATED_DATABASES)(
  'migration 005 on a %s database with deposits from before payments',
  (name) => {
    it('turns each old deposit into a manual payment the ledger entry names, and keeps the ledger append-only', async () => {
      const { storage, drop } = await freshStorage(name);
      const kind = storage.kind;
      const migrator = new Migrator({
        db: storage.db,
        provider: {
          getMigrations: async () => ({
            '001-initial': initialMigration(kind),
            '002-engine': engineMigration(kind),
            '003-web-sessions': webSessionsMigration(kind),
            '004-admin-indexes': adminIndexesMigration(),
          }),
        },
        allowUnorderedMigrations: true,
        ...(storage.schema ? { migrationTableSchema: storage.schema } : {}),
      });
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      await sql`insert into accounts (email, password_hash, role, status, balance_units, created_at)
                values ('old@example.com', 'x', 'user', 'active', 70000, 1)`.execute(storage.db);
      await sql`insert into ledger_entries (account_id, kind, amount_units, balance_after_units, reason, actor, created_at)
                values (1, 'deposit', 70000, 70000, 'bank transfer 42', 'cli:root', 1)`.execute(storage.db);
      await migrateToLatest(storage);
      const payment = await storage.db.selectFrom('payments').selectAll().executeTakeFirstOrThrow();
      expect(payment).toMatchObject({ method: 'manual', status: 'succeeded', account_id: 1 });
      expect(Number(payment.credited_units)).toBe(70_000);
      const entry = await storage.db.selectFrom('ledger_entries').selectAll().executeTakeFirstOrThrow();
      expect(Number(entry.payment_id)).toBe(Number(payment.id));
      await expect(sql`update ledger_entries set reason = 'x'`.execute(storage.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from ledger_entries`.execute(storage.db)).rejects.toThrow(/append-only/);
      const report = await verifyLedger(createAppContext(storage, { now: () => 0 }));
      expect(report.violations).toEqual([]);
      await storage.close();
      await drop();
    });
  },
);
