import type { Command } from 'commander';
import { activateImportedServices } from '../app/activate-imported-services.js';
import { importChosenServices } from '../app/import-chosen-services.js';
import { importProviderServices } from '../app/import-provider-services.js';
import { previewProviderImport } from '../app/preview-provider-import.js';
import { setServiceActive } from '../app/set-service-active.js';
import { loadConfig } from '../config.js';
import { CliError, cliActor, runWithApp } from './output.js';
import { wholeNumberOption } from './parse-options.js';

interface ImportOptions {
  provider: string;
  markup?: string;
  preview?: boolean;
  services?: string;
  apply?: string;
}

/** "1,2,3" as its ids; the use case checks each against the catalog fetched then. */
function idList(text: string | undefined, name: string): string[] {
  if (text === undefined) return [];
  const ids = text.split(',').map((id) => id.trim());
  for (const id of ids) wholeNumberOption(id, name);
  return ids;
}

/**
 * `provider import`: `--preview` prints the live catalog against our services; `--services`
 * imports those upstream ids (inactive) and `--apply` applies a re-import's differences to
 * ours; with neither, every service is imported and put on sale, as before issue 13.
 */
export function registerProviderImportCommands(provider: Command): void {
  const timeoutMs = () => loadConfig().engine.upstreamTimeoutMs;

  provider
    .command('import')
    .requiredOption('--provider <name>')
    .option('--markup <percent>', "added to the upstream rate, e.g. 30 (the provider's own when omitted)")
    .option('--preview', 'print the catalog, our rates and the differences; change nothing')
    .option('--services <ids>', 'the upstream ids to import, inactive, e.g. 31,32')
    .option('--apply <ids>', 'the upstream ids whose differences to apply to our services')
    .action((options: ImportOptions) =>
      runWithApp(({ ctx }) => {
        const markup = options.markup ?? '';
        if (options.preview) {
          return previewProviderImport(ctx, { provider: options.provider, markup, timeoutMs: timeoutMs() });
        }
        if (options.services !== undefined || options.apply !== undefined) {
          return importChosenServices(ctx, {
            provider: options.provider,
            markup,
            importIds: idList(options.services, '--services'),
            applyIds: idList(options.apply, '--apply'),
            timeoutMs: timeoutMs(),
            actor: cliActor(),
          });
        }
        if (options.markup === undefined) throw new CliError('--markup is needed to import every service');
        return importProviderServices(ctx, {
          provider: options.provider,
          markup,
          timeoutMs: timeoutMs(),
          actor: cliActor(),
        });
      }),
    );

  provider
    .command('activate')
    .description('put imported services on sale, optionally confirming their link type')
    .requiredOption('--services <ids>', 'our service ids, e.g. 12,13')
    .option('--link-type <type>', 'post_url, reel_url or username, for every service listed')
    .action((options: { services: string; linkType?: string }) =>
      runWithApp(({ ctx }) => {
        const serviceIds = idList(options.services, '--services').map(Number);
        const linkTypes = new Map(serviceIds.map((id) => [id, options.linkType ?? '']));
        return activateImportedServices(ctx, {
          serviceIds,
          linkTypes: options.linkType === undefined ? new Map() : linkTypes,
          actor: cliActor(),
        });
      }),
    );

  provider
    .command('pause')
    .description('take services off sale (e.g. those gone upstream)')
    .requiredOption('--services <ids>', 'our service ids, e.g. 12,13')
    .action((options: { services: string }) =>
      runWithApp(async ({ ctx }) => {
        const serviceIds = idList(options.services, '--services').map(Number);
        for (const serviceId of serviceIds) {
          await setServiceActive(ctx, { serviceId, isActive: false, actor: cliActor() });
        }
        return { paused: serviceIds };
      }),
    );
}
