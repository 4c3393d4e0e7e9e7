import type { Command } from 'commander';
import { seedDemo } from '../app/seed-demo.js';
import { loadConfig } from '../config.js';
import { saveDemoCredentials } from '../demo-credentials.js';
import { migrateToLatest } from '../storage/migrate.js';
import { cliActor, runWithApp } from './output.js';

export function registerServerCommands(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(() =>
      runWithApp(
        async ({ storage }) => {
          const applied = await migrateToLatest(storage);
          return { migrated: true, applied };
        },
        { migrate: false },
      ),
    );

  program
    .command('serve')
    .description('serve the API and the web (and run the worker unless RUN_WORKER=false)')
    .action(async () => {
      try {
        const { runPanel } = await import('../main.js');
        await runPanel();
      } catch (error) {
        process.stderr.write(`inspiria: ${error instanceof Error ? error.message : String(error)}\n`);
        // A half-started server may hold the database pool open: stop here.
        process.exit(1);
      }
    });

  program
    .command('demo')
    .description('seed, once, the demo accounts and catalog')
    .action(() =>
      runWithApp(async ({ ctx }) => {
        const seeded = await seedDemo(ctx, { actor: cliActor() });
        if (!seeded) return { seeded: false, message: 'demo data already present' };
        saveDemoCredentials(loadConfig().dataDir, seeded);
        return { seeded: true, ...seeded };
      }),
    );
}
