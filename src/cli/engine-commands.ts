import type { Command } from 'commander';
import pino from 'pino';
import { addProvider } from '../app/add-provider.js';
import { getProviderBalance } from '../app/get-provider-balance.js';
import { listProviders } from '../app/list-providers.js';
import { recordFailedAttempt } from '../app/record-failed-attempt.js';
import { recordOrderProgress } from '../app/record-order-progress.js';
import { openApp } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { engineSettingsFrom } from '../engine/settings.js';
import { Worker } from '../engine/worker.js';
import { cliActor, runWithApp } from './output.js';
import { wholeNumberOption } from './parse-options.js';
import { registerProviderImportCommands } from './provider-import-commands.js';

/** `inspiria worker`: the fulfilment worker alone, until SIGINT or SIGTERM. */
async function runWorker(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const opened = await openApp(config);
  const worker = new Worker({ ctx: opened.ctx, settings: engineSettingsFrom(config.engine), logger });
  worker.start();
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await worker.stop();
  await opened.close();
}

function registerProviderCommands(program: Command): void {
  const provider = program.command('provider').description('upstream panels that speak API v2');
  const timeoutMs = () => loadConfig().engine.upstreamTimeoutMs;

  provider
    .command('add')
    .requiredOption('--name <name>')
    .requiredOption('--url <url>', 'the API v2 endpoint, e.g. https://panel.example/api/v2')
    .requiredOption('--key <key>', 'our API key there (stored, never printed again)')
    .action((options: { name: string; url: string; key: string }) =>
      runWithApp(({ ctx }) =>
        addProvider(ctx, { name: options.name, url: options.url, apiKey: options.key, actor: cliActor() }),
      ),
    );

  provider.command('list').action(() => runWithApp(({ ctx }) => listProviders(ctx)));

  provider
    .command('balance')
    .requiredOption('--name <name>')
    .action((options: { name: string }) =>
      runWithApp(({ ctx }) => getProviderBalance(ctx, { name: options.name, timeoutMs: timeoutMs() })),
    );

  registerProviderImportCommands(provider);
}

function registerOrderCommands(program: Command): void {
  const order = program.command('order').description('the operator queue');

  order
    .command('progress')
    .description('record delivered units (a Pending order starts first)')
    .requiredOption('--order <id>')
    .requiredOption('--delivered <n>', 'units delivered now, added to what was delivered before')
    .option('--start-count <n>', 'the count before delivery started, recorded when the order starts')
    .action((options: { order: string; delivered: string; startCount?: string }) =>
      runWithApp(({ ctx }) =>
        recordOrderProgress(ctx, {
          orderId: wholeNumberOption(options.order, '--order'),
          deliveredQuantity: wholeNumberOption(options.delivered, '--delivered'),
          ...(options.startCount === undefined
            ? {}
            : { startCount: wholeNumberOption(options.startCount, '--start-count') }),
          actor: cliActor(),
        }),
      ),
    );

  order
    .command('fail')
    .description('record a failed delivery attempt; the fifth in a row ends the order Partial')
    .requiredOption('--order <id>')
    .action((options: { order: string }) =>
      runWithApp(({ ctx }) =>
        recordFailedAttempt(ctx, { orderId: wholeNumberOption(options.order, '--order'), actor: cliActor() }),
      ),
    );
}

export function registerEngineCommands(program: Command): void {
  program
    .command('worker')
    .description('run the fulfilment worker alone (several may share one PostgreSQL database)')
    .action(async () => {
      try {
        await runWorker();
      } catch (error) {
        process.stderr.write(`inspiria: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      }
    });
  registerProviderCommands(program);
  registerOrderCommands(program);
}
