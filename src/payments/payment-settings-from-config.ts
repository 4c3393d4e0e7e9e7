import type { PaymentSettings } from '../app/payment-settings.js';
import type { Config } from '../config.js';
import { createStripeGateway } from './stripe-gateway.js';

/** An obviously fake account, shown by the demo so the transfer flow can be tried. */
export const DEMO_BANK = Object.freeze({
  iban: 'IT00DEMO0000000000000000000',
  beneficiary: 'Inspiria demo (not a real account)',
  bic: null,
});

/** Cards are offered only with both Stripe secrets; transfers only with an IBAN (or the demo's). */
export function paymentSettingsFrom(config: Config): PaymentSettings {
  const p = config.payments;
  const card =
    p.stripeSecretKey && p.stripeWebhookSecret
      ? createStripeGateway({
          secretKey: p.stripeSecretKey,
          webhookSecret: p.stripeWebhookSecret,
          apiUrl: p.stripeApiUrl,
        })
      : null;
  const bank = p.bankIban
    ? { iban: p.bankIban, beneficiary: p.bankBeneficiary, bic: p.bankBic }
    : config.seedDemo
      ? DEMO_BANK
      : null;
  return Object.freeze({
    limits: Object.freeze({ minUnits: p.depositMinUnits, maxUnits: p.depositMaxUnits }),
    maxOpenTransfers: p.maxOpenTransfers,
    bank,
    card,
    business: Object.freeze({
      name: p.businessName,
      address: p.businessAddress,
      vatId: p.businessVatId,
      email: p.businessEmail,
    }),
  });
}
