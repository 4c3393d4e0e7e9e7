#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=30
import { Command } from 'commander';
import { registerAccountCommands } from './account-commands.js';
import { registerBackupCommand } from './backup-command.js';
import { registerEngineCommands } from './engine-commands.js';
import { registerLedgerCommands } from './ledger-commands.js';
import { registerPaymentCommands } from './payment-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerServerCommands } from './server-commands.js';
import { registerServiceCommands } from './service-commands.js';

/**
 * The operator CLI. Every command prints JSON on stdout and, when it fails, exits non-zero
 * with a clear message on stderr. It uses the same DATABASE_URL as the server.
 */
const program = new Command('inspiria')
  .description('Inspiria operator CLI')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

registerServerCommands(program);
registerAccountCommands(program);
registerServiceCommands(program);
registerLedgerCommands(program);
registerPaymentCommands(program);
registerEngineCommands(program);
registerBackupCommand(program);
registerReportCommands(program);

await program.parseAsync(process.argv);
