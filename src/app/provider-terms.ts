import { DomainError } from '../domain/errors.js';
import { formatUnits } from '../domain/money.js';
import { EUR_RATE_SCALE } from '../domain/order-cost.js';
import { findProviderByName } from '../storage/providers-repository.js';
import type { ProviderRow } from '../storage/schema.js';
import type { AppContext } from './context.js';
import { type ProviderSettingsInput, setProviderSettings } from './set-provider-settings.js';

/** A scaled integer as the operator types it: 1250 at scale 100 is "12.5". */
export function scaledText(value: number, scale: number): string {
  const digits = String(scale).length - 1;
  const whole = Math.floor(value / scale);
  const fraction = String(value % scale)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** The operator's terms with a provider, as the admin form shows them (percent, rate, amount). */
export function termsOf(provider: ProviderRow): ProviderSettingsInput {
  return {
    markup: scaledText(provider.markup_basis_points, 100),
    marginFloor: scaledText(provider.margin_floor_basis_points, 100),
    onLowMargin: provider.on_low_margin,
    eurRate: scaledText(Number(provider.eur_rate_micros), EUR_RATE_SCALE),
    lowBalance: provider.low_balance_units === null ? '' : formatUnits(Number(provider.low_balance_units)),
  };
}

export async function getProviderTerms(
  ctx: AppContext,
  options: { provider: string },
): Promise<ProviderSettingsInput & { provider: string }> {
  const provider = await findProviderByName(ctx.db, options.provider);
  if (!provider) throw new DomainError('provider_not_found', { name: options.provider });
  return { provider: provider.name, ...termsOf(provider) };
}

/**
 * Changes some of a provider's terms, the others kept as they are: the same checks and the same
 * audit row as the admin form, which always sends them all.
 */
export async function changeProviderTerms(
  ctx: AppContext,
  options: { provider: string; changes: Partial<ProviderSettingsInput>; actor: string },
): Promise<ProviderSettingsInput & { provider: string }> {
  const current = await getProviderTerms(ctx, { provider: options.provider });
  const { provider, ...terms } = current;
  await setProviderSettings(ctx, {
    provider,
    settings: { ...terms, ...options.changes },
    actor: options.actor,
  });
  return getProviderTerms(ctx, { provider });
}
