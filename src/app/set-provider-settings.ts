import { DomainError } from '../domain/errors.js';
import { parseEurRate, parseExactDecimal } from '../domain/order-cost.js';
import { appendAudit } from '../storage/audit-repository.js';
import { findProviderByName, updateProvider } from '../storage/providers-repository.js';
import type { AppContext } from './context.js';
import { parseMarkup } from './import-provider-services.js';

export interface ProviderSettingsInput {
  /** Percent, as typed: "30", "12.5". */
  markup: string;
  /** Percent of our rate the sync keeps as margin at least. */
  marginFloor: string;
  onLowMargin: 'pause' | 'reprice';
  /** EUR per unit of the provider's currency: "1", "0.92". */
  eurRate: string;
  /** In the provider's currency; empty for no threshold. */
  lowBalance: string;
}

/** "12.5" percent as 1250 basis points; a floor of 100% or more could never be kept. */
function parseMarginFloor(text: string): number {
  const decimal = parseExactDecimal(text);
  if (!decimal || decimal.scale > 2) throw new DomainError('margin_floor_invalid');
  const basisPoints = Number(decimal.digits * 10n ** BigInt(2 - decimal.scale));
  if (basisPoints >= 10_000) throw new DomainError('margin_floor_invalid');
  return basisPoints;
}

function parseLowBalance(text: string): number | null {
  if (text.trim() === '') return null;
  const decimal = parseExactDecimal(text);
  if (!decimal || decimal.scale > 4) throw new DomainError('low_balance_invalid');
  return Number(decimal.digits * 10n ** BigInt(4 - decimal.scale));
}

/** The operator's terms with a provider: import markup, margin floor and what the sync does under it. */
export async function setProviderSettings(
  ctx: AppContext,
  options: { provider: string; settings: ProviderSettingsInput; actor: string },
): Promise<void> {
  const { settings } = options;
  const eurRateMicros = parseEurRate(settings.eurRate);
  if (eurRateMicros === undefined) throw new DomainError('eur_rate_invalid');
  const patch = {
    markup_basis_points: parseMarkup(settings.markup),
    margin_floor_basis_points: parseMarginFloor(settings.marginFloor),
    on_low_margin: settings.onLowMargin === 'reprice' ? ('reprice' as const) : ('pause' as const),
    eur_rate_micros: eurRateMicros,
    low_balance_units: parseLowBalance(settings.lowBalance),
  };
  await ctx.db.transaction().execute(async (trx) => {
    const provider = await findProviderByName(trx, options.provider);
    if (!provider) throw new DomainError('provider_not_found', { name: options.provider });
    await updateProvider(trx, provider.id, { ...patch, updated_at: ctx.clock.now() });
    await appendAudit(trx, {
      actor: options.actor,
      action: 'provider.settings',
      details: {
        provider: provider.name,
        markupBasisPoints: patch.markup_basis_points,
        marginFloorBasisPoints: patch.margin_floor_basis_points,
        onLowMargin: patch.on_low_margin,
        eurRateMicros,
        lowBalanceUnits: patch.low_balance_units,
      },
      createdAt: ctx.clock.now(),
    });
  });
}
