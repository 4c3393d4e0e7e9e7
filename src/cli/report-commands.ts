import type { Command } from 'commander';
import { exportReportCsv, type ReportTable } from '../app/export-report-csv.js';
import { getBusinessReport, type ReportLine } from '../app/get-business-report.js';
import { getService } from '../app/list-all-services.js';
import { changeProviderTerms, getProviderTerms } from '../app/provider-terms.js';
import type { ProviderSettingsInput } from '../app/set-provider-settings.js';
import { setServiceCost } from '../app/set-service-cost.js';
import { formatUnits } from '../domain/money.js';
import { CliError, cliActor, runWithApp } from './output.js';
import { eurosOption, wholeNumberOption } from './parse-options.js';
import { serviceToJson } from './service-commands.js';

const BY: Readonly<Record<string, Exclude<ReportTable, 'losing'>>> = {
  day: 'days',
  service: 'services',
  provider: 'providers',
  customer: 'customers',
};

/**
 * A report line as the CLI prints it, with the admin's words: revenue (what customers were
 * charged), refunds, net charge (revenue less refunds), cost (what the orders cost us) and margin
 * (net charge less cost). Amounts in EUR with 4 decimals, like the CSV.
 */
function lineJson(l: ReportLine) {
  return {
    key: l.key,
    label: l.label,
    orders: l.orders,
    revenue: formatUnits(l.chargeUnits),
    refunds: formatUnits(l.refundedUnits),
    netCharge: formatUnits(l.netUnits),
    cost: formatUnits(l.costUnits),
    margin: formatUnits(l.marginUnits),
  };
}

function tableOf(by: string): Exclude<ReportTable, 'losing'> {
  const table = BY[by];
  if (!table) throw new CliError(`--by must be one of ${Object.keys(BY).join(', ')} (got ${by})`);
  return table;
}

interface ReportOptions {
  from: string;
  to: string;
  by: string;
  csv?: boolean;
}

function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('revenue, refunds, net charge, cost and margin of the orders placed in a period (Rome days)')
    .requiredOption('--from <YYYY-MM-DD>', 'first day, included')
    .requiredOption('--to <YYYY-MM-DD>', 'last day, included')
    .option('--by <table>', 'day, service, provider or customer', 'day')
    .option('--csv', 'print the table as the admin page’s CSV export')
    .action((options: ReportOptions) =>
      runWithApp(async ({ ctx }) => {
        const table = tableOf(options.by);
        const period = { fromDay: options.from, toDay: options.to };
        if (options.csv) {
          const { csv } = await exportReportCsv(ctx, { table, ...period });
          process.stdout.write(csv);
          return undefined;
        }
        const report = await getBusinessReport(ctx, period);
        return {
          from: report.period.fromDay,
          to: report.period.toDay,
          by: options.by,
          totals: lineJson(report.totals),
          lines: report[table].map(lineJson),
        };
      }),
    );
}

interface TermsOptions {
  name: string;
  markup?: string;
  marginFloor?: string;
  onLowMargin?: string;
  eurRate?: string;
  lowBalance?: string;
}

function termChanges(options: TermsOptions): Partial<ProviderSettingsInput> {
  const { onLowMargin } = options;
  if (onLowMargin !== undefined && onLowMargin !== 'pause' && onLowMargin !== 'reprice')
    throw new CliError(`--on-low-margin must be pause or reprice (got ${onLowMargin})`);
  return {
    ...(options.markup === undefined ? {} : { markup: options.markup }),
    ...(options.marginFloor === undefined ? {} : { marginFloor: options.marginFloor }),
    ...(onLowMargin === undefined ? {} : { onLowMargin }),
    ...(options.eurRate === undefined ? {} : { eurRate: options.eurRate }),
    ...(options.lowBalance === undefined
      ? {}
      : { lowBalance: options.lowBalance === 'none' ? '' : options.lowBalance }),
  };
}

function subcommand(program: Command, name: string): Command {
  const found = program.commands.find((command) => command.name() === name);
  if (!found) throw new Error(`the ${name} command is not registered yet`);
  return found;
}

function registerTermsCommand(program: Command): void {
  subcommand(program, 'provider')
    .command('terms')
    .description("show a provider's terms, or change those given (audited like the admin form)")
    .requiredOption('--name <name>')
    .option('--markup <percent>', 'added to the upstream rate at import, e.g. 30')
    .option('--margin-floor <percent>', 'the least margin the sync keeps, e.g. 10')
    .option('--on-low-margin <action>', 'pause or reprice the service when the margin falls under the floor')
    .option('--eur-rate <rate>', "EUR per unit of the provider's currency, e.g. 0.92")
    .option('--low-balance <amount>', "flag the provider's balance under this amount; none for never")
    .action((options: TermsOptions) =>
      runWithApp(({ ctx }) => {
        const changes = termChanges(options);
        return Object.keys(changes).length === 0
          ? getProviderTerms(ctx, { provider: options.name })
          : changeProviderTerms(ctx, { provider: options.name, changes, actor: cliActor() });
      }),
    );
}

function registerServiceCostCommand(program: Command): void {
  subcommand(program, 'service')
    .command('cost')
    .description('show what 1000 units of a service cost us, or set it (audited); none for unknown')
    .argument('<id>', 'the service id')
    .argument('[eur]', 'cost per 1000 in EUR, or none')
    .action((id: string, eur: string | undefined) =>
      runWithApp(async ({ ctx }) => {
        const serviceId = wholeNumberOption(id, 'the service id');
        if (eur !== undefined) {
          const costPer1000Units = eur === 'none' ? null : eurosOption(eur, 'the cost per 1000');
          await setServiceCost(ctx, { serviceId, costPer1000Units, actor: cliActor() });
        }
        const service = await getService(ctx, { serviceId });
        return { ...serviceToJson(service), costPer1000: costText(service.cost_per_1000_units) };
      }),
    );
}

const costText = (units: number | null) => (units === null ? null : formatUnits(Number(units)));

/** `inspiria report`, `inspiria provider terms`, `inspiria service cost` (issue 13). */
export function registerReportCommands(program: Command): void {
  registerReportCommand(program);
  registerTermsCommand(program);
  registerServiceCostCommand(program);
}
