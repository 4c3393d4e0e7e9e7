import type { Command } from 'commander';
import { getService } from '../app/list-all-services.js';
import { createService } from '../app/save-service.js';
import { setServiceDripfeed } from '../app/set-service-dripfeed.js';
import { formatUnits } from '../domain/money.js';
import type { ServiceRow } from '../storage/schema.js';
import { listServiceRows } from '../storage/services-repository.js';
import { CliError, cliActor, runWithApp } from './output.js';
import { eurosOption, wholeNumberOption } from './parse-options.js';

export function serviceToJson(service: ServiceRow) {
  return {
    id: service.id,
    name: service.name,
    category: service.category,
    type: service.type,
    linkType: service.link_type,
    rate: formatUnits(service.rate_units),
    min: service.min_quantity,
    max: service.max_quantity,
    cancel: service.can_cancel === 1,
    active: service.is_active === 1,
    backend: service.backend,
    dripfeed: service.is_dripfeed === 1,
    // Only the descriptions written (issue 11), so a catalog without them prints as before.
    ...(service.description_it ? { descriptionIt: service.description_it } : {}),
    ...(service.description_en ? { descriptionEn: service.description_en } : {}),
  };
}

interface CreateOptions {
  name: string;
  category: string;
  linkType: string;
  rate: string;
  min: string;
  max: string;
  id?: string;
  type?: string;
  cancel: boolean;
  backend?: string;
  upstreamService?: string;
  dripfeed?: boolean;
  descriptionIt?: string;
  descriptionEn?: string;
}

export function registerServiceCommands(program: Command): void {
  const service = program.command('service').description('the service catalog');

  service
    .command('create')
    .requiredOption('--name <name>')
    .requiredOption('--category <category>')
    .requiredOption('--link-type <type>', 'post_url, reel_url or username')
    .requiredOption('--rate <eur>', 'price per 1000 in EUR')
    .requiredOption('--min <n>')
    .requiredOption('--max <n>')
    .option('--id <n>', 'a service id of your choice')
    .option('--type <type>', '"Default" or "Custom Comments"', 'Default')
    .option('--no-cancel', 'orders of this service cannot be cancelled')
    .option('--backend <backend>', 'operator, simulator or upstream:NAME', 'operator')
    .option('--upstream-service <id>', "with --backend upstream:NAME, the provider's service id")
    .option('--dripfeed', 'orders may be split into runs at an interval (drip-feed)')
    .option('--description-it <text>', 'the description customers read on Italian pages')
    .option('--description-en <text>', 'the description customers read on English pages')
    .action((options: CreateOptions) =>
      runWithApp(async ({ ctx }) => {
        const type = options.type ?? 'Default';
        if (type !== 'Default' && type !== 'Custom Comments') {
          throw new CliError('--type must be "Default" or "Custom Comments"');
        }
        const created = await createService(ctx, {
          ...(options.id === undefined ? {} : { id: wholeNumberOption(options.id, '--id') }),
          actor: cliActor(),
          fields: {
            name: options.name,
            category: options.category,
            type,
            linkType: options.linkType,
            rateUnits: eurosOption(options.rate, '--rate'),
            minQuantity: wholeNumberOption(options.min, '--min'),
            maxQuantity: wholeNumberOption(options.max, '--max'),
            canCancel: options.cancel,
            isActive: true,
            backend: options.backend ?? 'operator',
            upstreamServiceId: options.upstreamService,
            isDripfeed: options.dripfeed === true,
            descriptionIt: options.descriptionIt,
            descriptionEn: options.descriptionEn,
          },
        });
        return serviceToJson(created);
      }),
    );

  service
    .command('dripfeed')
    .description('turn drip-feed on or off for a service (audited)')
    .argument('<id>', 'the service id')
    .argument('<on|off>')
    .action((id: string, state: string) =>
      runWithApp(async ({ ctx }) => {
        if (state !== 'on' && state !== 'off') throw new CliError('the state must be "on" or "off"');
        const serviceId = wholeNumberOption(id, 'the service id');
        await setServiceDripfeed(ctx, { serviceId, isDripfeed: state === 'on', actor: cliActor() });
        return serviceToJson(await getService(ctx, { serviceId }));
      }),
    );

  service
    .command('list')
    .action(() => runWithApp(async ({ ctx }) => (await listServiceRows(ctx.db)).map(serviceToJson)));
}
