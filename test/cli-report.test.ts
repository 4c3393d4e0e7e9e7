import { beforeAll, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { exportReportCsv } from '../src/app/export-report-csv.js';
import { getBusinessReport } from '../src/app/get-business-report.js';
import { recordOrderProgress } from '../src/app/record-order-progress.js';
import { romeDayOf } from '../src/app/report-period.js';
import { createService } from '../src/app/save-service.js';
import { formatUnits } from '../src/domain/money.js';
import { createCustomer } from './support/api-server.js';
import { expectCliFailure, useCli } from './support/cli.js';
import { HAND_MADE_COMMENTS } from './support/cost-fixtures.js';
import { describeEachDatabase } from './support/databases.js';
import { placeTestOrder } from './support/engine.js';

const LINK = 'https://www.instagram.com/p/CliReport01/';

describeEachDatabase('inspiria report, provider terms and service cost', (db) => {
  const { cli: run } = useCli(() => db().url);
  const cli = (...args: string[]) => run(args);
  let serviceId = 0;
  let day = '';

  const lastAudit = async (action: string) => {
    const row = await db()
      .ctx.db.selectFrom('audit_log')
      .select(['details_json', 'actor'])
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row && { actor: row.actor, details: JSON.parse(row.details_json) as Record<string, unknown> };
  };
  const auditCount = async () =>
    Number(
      (
        await db()
          .ctx.db.selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    const service = await createService(db().ctx, { fields: HAND_MADE_COMMENTS, actor: 't' });
    serviceId = service.id;
    for (const delivered of [30, 100]) {
      const account = await createCustomer(db(), 10_000_000);
      const orderId = await placeTestOrder(db().ctx, {
        accountId: account.id,
        serviceId,
        link: LINK,
        quantity: 100,
      });
      await recordOrderProgress(db().ctx, { orderId, deliveredQuantity: delivered, actor: 'op' });
    }
    await addProvider(db().ctx, {
      name: 'termsy',
      url: 'http://127.0.0.1:9/api/v2',
      apiKey: 'terms-key-0123456789abcdef',
      actor: 't',
    });
    day = romeDayOf(db().clock.now());
  }, 60_000);

  it('report prints the admin page’s figures, per day, service, provider and customer', async () => {
    const report = await getBusinessReport(db().ctx, { fromDay: day, toDay: day });
    // Two orders of 100 at 5.0000 per 1000: 0.5000 each; 30 and 100 delivered at 2.0000 per 1000.
    expect(report.totals).toMatchObject({ orders: 2, chargeUnits: 10_000, costUnits: 2_600 });
    for (const [by, table] of [
      ['day', 'days'],
      ['service', 'services'],
      ['provider', 'providers'],
      ['customer', 'customers'],
    ] as const) {
      const result = await cli('report', '--from', day, '--to', day, '--by', by);
      expect(result.code, result.stderr).toBe(0);
      const money = (units: number) => formatUnits(units);
      const asJson = (l: typeof report.totals) => ({
        key: l.key,
        label: l.label,
        orders: l.orders,
        revenue: money(l.chargeUnits),
        refunds: money(l.refundedUnits),
        netCharge: money(l.netUnits),
        cost: money(l.costUnits),
        margin: money(l.marginUnits),
      });
      expect(result.json).toEqual({
        from: day,
        to: day,
        by,
        totals: asJson(report.totals),
        lines: report[table].map(asJson),
      });
    }
    const totals = (await cli('report', '--from', day, '--to', day)).json as { totals: unknown };
    expect(totals.totals).toMatchObject({
      revenue: '1.0000',
      cost: '0.2600',
      netCharge: '1.0000',
      margin: '0.7400',
    });
  });

  it('report --csv prints the admin page’s CSV export, byte for byte', async () => {
    const result = await cli('report', '--from', day, '--to', day, '--by', 'service', '--csv');
    expect(result.code, result.stderr).toBe(0);
    const { csv } = await exportReportCsv(db().ctx, { table: 'services', fromDay: day, toDay: day });
    expect(result.stdout).toBe(csv);
    expect(result.stdout.split('\r\n')[0]).toBe('key,label,orders,revenue,refunds,net_charge,cost,margin');
  });

  it('report refuses a bad period or table and prints nothing', async () => {
    expectCliFailure(await cli('report', '--from', '2026-02-30', '--to', day), /period/i);
    expectCliFailure(await cli('report', '--from', day, '--to', '2020-01-01'), /period/i);
    expectCliFailure(await cli('report', '--from', day, '--to', day, '--by', 'week'), /--by must be one of/);
    const missing = await cli('report', '--from', day);
    expect(missing.code).not.toBe(0);
  });

  it('provider terms shows the terms, changes only those given, audited like the form', async () => {
    const shown = await cli('provider', 'terms', '--name', 'termsy');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json).toEqual({
      provider: 'termsy',
      markup: '30',
      marginFloor: '10',
      onLowMargin: 'pause',
      eurRate: '1',
      lowBalance: '',
    });
    const changed = await cli(
      'provider',
      'terms',
      '--name',
      'termsy',
      '--margin-floor',
      '12.5',
      '--on-low-margin',
      'reprice',
      '--eur-rate',
      '0.92',
      '--low-balance',
      '25',
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.json).toEqual({
      provider: 'termsy',
      markup: '30',
      marginFloor: '12.5',
      onLowMargin: 'reprice',
      eurRate: '0.92',
      lowBalance: '25.0000',
    });
    const audit = await lastAudit('provider.settings');
    expect(audit?.actor).toMatch(/^cli:/);
    expect(audit?.details).toMatchObject({
      provider: 'termsy',
      marginFloorBasisPoints: 1250,
      onLowMargin: 'reprice',
      eurRateMicros: 920_000,
      lowBalanceUnits: 250_000,
    });
    const none = await cli('provider', 'terms', '--name', 'termsy', '--low-balance', 'none');
    expect(none.json).toMatchObject({ lowBalance: '', marginFloor: '12.5' });
  });

  it('provider terms refuses bad values and an unknown provider, changing nothing', async () => {
    const before = await auditCount();
    expectCliFailure(
      await cli('provider', 'terms', '--name', 'termsy', '--margin-floor', '100'),
      /margin floor/,
    );
    expectCliFailure(await cli('provider', 'terms', '--name', 'termsy', '--eur-rate', '-1'), /EUR rate/);
    expectCliFailure(
      await cli('provider', 'terms', '--name', 'termsy', '--on-low-margin', 'panic'),
      /pause or reprice/,
    );
    expectCliFailure(
      await cli('provider', 'terms', '--name', 'nobody', '--markup', '5'),
      /nobody does not exist/,
    );
    expect(await auditCount()).toBe(before);
    expect((await cli('provider', 'terms', '--name', 'termsy')).json).toMatchObject({ marginFloor: '12.5' });
  });

  it('service cost shows and sets the cost per 1000, audited; none clears it; a bad one is refused', async () => {
    const shown = await cli('service', 'cost', String(serviceId));
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json).toMatchObject({ id: serviceId, costPer1000: '2.0000' });
    const set = await cli('service', 'cost', String(serviceId), '2.5');
    expect(set.json).toMatchObject({ id: serviceId, costPer1000: '2.5000' });
    expect((await lastAudit('service.update'))?.details).toEqual({
      serviceId,
      costPer1000Units: { from: 20_000, to: 25_000 },
    });
    const before = await auditCount();
    expectCliFailure(await cli('service', 'cost', String(serviceId), '2.12345'), /cost per 1000/);
    expectCliFailure(await cli('service', 'cost', '999999', '1'), /no service 999999/);
    expect(await auditCount()).toBe(before);
    const cleared = await cli('service', 'cost', String(serviceId), 'none');
    expect(cleared.json).toMatchObject({ costPer1000: null });
  });
});
