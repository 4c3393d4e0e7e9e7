import type { Command } from 'commander';
import { verifyLedger } from '../app/verify-ledger.js';
import { runWithApp } from './output.js';

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the money ledger');
  ledger
    .command('verify')
    .description('check every ledger invariant; exit 1 naming each violation')
    .action(() =>
      runWithApp(async ({ ctx }) => {
        const report = await verifyLedger(ctx);
        if (!report.ok) {
          for (const violation of report.violations) process.stderr.write(`violation: ${violation}\n`);
          process.exitCode = 1;
        }
        return report;
      }),
    );
}
