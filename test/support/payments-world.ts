import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/app/context.js';
import { insertPendingPayment } from '../../src/app/payment-records.js';
import type { PaymentRow } from '../../src/storage/schema.js';

/** A pending bank transfer for `accountId`, as a customer's request would leave it. */
export function pendingTransfer(
  ctx: AppContext,
  accountId: number,
  amountUnits: number,
): Promise<PaymentRow> {
  return ctx.db.transaction().execute((trx) =>
    insertPendingPayment(trx, {
      accountId,
      method: 'bank_transfer',
      amountUnits,
      actor: null,
      nowMs: ctx.clock.now(),
    }),
  );
}

export interface StatementCredit {
  /** "50.00", as the bank writes it. */
  amount: string;
  remittance: string;
  debtor?: string;
}

/**
 * A small CAMT.053.001.08 statement shaped like test/fixtures/camt053: one booked EUR credit
 * per line, each with its own servicer reference (the entry's key) unique to this statement.
 */
export function camtStatement(credits: readonly StatementCredit[]): string {
  const statementId = `TEST-${randomBytes(6).toString('hex')}`;
  const entries = credits.map(
    (credit, index) => `
      <Ntry>
        <NtryRef>${index + 1}</NtryRef>
        <Amt Ccy="EUR">${credit.amount}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-11-27</Dt></BookgDt>
        <AcctSvcrRef>${statementId}-${index + 1}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Amt Ccy="EUR">${credit.amount}</Amt>
          <CdtDbtInd>CRDT</CdtDbtInd>
          <RltdPties><Dbtr><Pty><Nm>${credit.debtor ?? 'Mario Rossi'}</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Ustrd>${credit.remittance}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${statementId}</MsgId><CreDtTm>2026-11-28T05:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${statementId}</Id>
      <Acct><Id><IBAN>IT60X0542811101000000123456</IBAN></Id><Ccy>EUR</Ccy></Acct>${entries.join('')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
