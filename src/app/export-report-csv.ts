import { formatUnits } from '../domain/money.js';
import type { AppContext } from './context.js';
import { csvField } from './export-payments-csv.js';
import { type BusinessReport, getBusinessReport, type ReportLine } from './get-business-report.js';

export const REPORT_TABLES = ['days', 'services', 'providers', 'customers', 'losing'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

export function isReportTable(value: string): value is ReportTable {
  return (REPORT_TABLES as readonly string[]).includes(value);
}

function linesOf(report: BusinessReport, table: ReportTable): ReportLine[] {
  return table === 'losing' ? report.losingServices : report[table];
}

/** One table of the report as CSV, amounts in EUR with 4 decimals, the period in the name. */
export async function exportReportCsv(
  ctx: AppContext,
  options: { table: ReportTable; fromDay?: string; toDay?: string },
): Promise<{ csv: string; filename: string }> {
  const report = await getBusinessReport(ctx, options);
  const header = ['key', 'label', 'orders', 'revenue', 'refunds', 'net_charge', 'cost', 'margin'];
  const rows = linesOf(report, options.table).map((l) =>
    [
      l.key,
      l.label,
      l.orders,
      formatUnits(l.chargeUnits),
      formatUnits(l.refundedUnits),
      formatUnits(l.netUnits),
      formatUnits(l.costUnits),
      formatUnits(l.marginUnits),
    ]
      .map(csvField)
      .join(','),
  );
  const { fromDay, toDay } = report.period;
  return {
    csv: `${[header.join(','), ...rows].join('\r\n')}\r\n`,
    filename: `report-${options.table}-${fromDay}-${toDay}.csv`,
  };
}
