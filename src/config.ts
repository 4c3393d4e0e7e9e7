import { parseEuros } from './domain/money.js';

/**
 * The only reader of process.env (style rule 9): parsed once, typed, frozen. A bad value
 * stops the program at start with a message naming the variable.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly logLevel: string;
  /** Run the fulfilment worker inside the server process (`npm start`). */
  readonly runWorker: boolean;
  /** Seed the demo data on first start; defaults to on for the embedded database only. */
  readonly seedDemo: boolean;
  /** Where `npm start` keeps the demo credentials it prints. */
  readonly dataDir: string;
  /** Send cookies with `Secure`; off only for plain-HTTP local development. */
  readonly secureCookies: boolean;
  /**
   * The argon2 cost of new password hashes: `standard` everywhere but test runs, whose child
   * processes (CLI, server) ask for `test`, the lowest one; refused under NODE_ENV=production.
   */
  readonly passwordHashCost: 'standard' | 'test';
  /** /api/v2 requests per second per API key (a token bucket), 0 for no limit. */
  readonly apiRateLimitPerSecond: number;
  /** How many requests a key may send at once before the per-second rate applies. */
  readonly apiRateLimitBurst: number;
  /** Money in: the card processor, the bank account, the limits, the operator's details. */
  readonly payments: {
    readonly stripeSecretKey: string | null;
    readonly stripeWebhookSecret: string | null;
    /** Stripe's API address; tests and evaluations point it at a fake served on loopback. */
    readonly stripeApiUrl: string;
    readonly bankIban: string | null;
    readonly bankBeneficiary: string;
    readonly bankBic: string | null;
    readonly depositMinUnits: number;
    readonly depositMaxUnits: number;
    readonly maxOpenTransfers: number;
    readonly businessName: string;
    readonly businessAddress: string;
    readonly businessVatId: string | null;
    readonly businessEmail: string | null;
  };
  /** The fulfilment engine's pace (src/engine/settings.ts says what each one means). */
  readonly engine: {
    readonly leaseMs: number;
    readonly pollMs: number;
    readonly batchSize: number;
    readonly simulatorStartDelayMs: number;
    readonly simulatorStepMs: number;
    readonly simulatorStepUnits: number;
    readonly upstreamTimeoutMs: number;
    readonly upstreamPollMs: number;
    readonly upstreamGiveUpMs: number;
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name]?.toLowerCase();
  if (text === undefined || text === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new Error(`${name} must be true or false (got ${JSON.stringify(env[name])})`);
}

function euros(env: NodeJS.ProcessEnv, name: string, fallbackUnits: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallbackUnits;
  const units = parseEuros(text);
  if (units === undefined || units <= 0 || units % 100 !== 0) {
    throw new Error(
      `${name} must be a positive amount of EUR in whole cents, e.g. 10 or 12.50 (got ${JSON.stringify(text)})`,
    );
  }
  return units;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | null {
  const text = env[name]?.trim();
  return text ? text : null;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const text = env[name]?.trim() || fallback;
  const parsed = URL.canParse(text) ? new URL(text) : undefined;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new Error(`${name} must be an http(s) URL (got ${JSON.stringify(text)})`);
  }
  return text;
}

function iban(env: NodeJS.ProcessEnv, name: string): string | null {
  const text = optional(env, name)?.replace(/\s+/g, '').toUpperCase() ?? null;
  if (text !== null && !/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(text)) {
    throw new Error(
      `${name} must be an IBAN such as IT60X0542811101000000123456 (got ${JSON.stringify(env[name])})`,
    );
  }
  return text;
}

function passwordHashCost(env: NodeJS.ProcessEnv): Config['passwordHashCost'] {
  const text = env.PASSWORD_HASH_COST?.trim() || 'standard';
  if (text !== 'standard' && text !== 'test') {
    throw new Error(`PASSWORD_HASH_COST must be standard or test (got ${JSON.stringify(text)})`);
  }
  if (text === 'test' && env.NODE_ENV === 'production') {
    throw new Error('PASSWORD_HASH_COST=test is for test runs only, never under NODE_ENV=production');
  }
  return text;
}

function paymentsConfig(env: NodeJS.ProcessEnv): Config['payments'] {
  const depositMinUnits = euros(env, 'DEPOSIT_MIN', 100_000);
  const depositMaxUnits = euros(env, 'DEPOSIT_MAX', 50_000_000);
  if (depositMinUnits > depositMaxUnits) throw new Error('DEPOSIT_MIN must not exceed DEPOSIT_MAX');
  return Object.freeze({
    stripeSecretKey: optional(env, 'STRIPE_SECRET_KEY'),
    stripeWebhookSecret: optional(env, 'STRIPE_WEBHOOK_SECRET'),
    stripeApiUrl: url(env, 'STRIPE_API_URL', 'https://api.stripe.com'),
    bankIban: iban(env, 'BANK_IBAN'),
    bankBeneficiary: env.BANK_BENEFICIARY?.trim() || env.BUSINESS_NAME?.trim() || 'Inspiria',
    bankBic: optional(env, 'BANK_BIC'),
    depositMinUnits,
    depositMaxUnits,
    maxOpenTransfers: integer(env, 'BANK_MAX_OPEN_TRANSFERS', 3, 1, 100),
    businessName: env.BUSINESS_NAME?.trim() || 'Inspiria',
    businessAddress: env.BUSINESS_ADDRESS?.trim() || '',
    businessVatId: optional(env, 'BUSINESS_VAT_ID'),
    businessEmail: optional(env, 'BUSINESS_EMAIL'),
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || 'sqlite:data/inspiria.db';
  const isEmbedded = databaseUrl.startsWith('sqlite:');
  return Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    logLevel: env.LOG_LEVEL || 'info',
    runWorker: flag(env, 'RUN_WORKER', true),
    seedDemo: flag(env, 'SEED_DEMO', isEmbedded),
    dataDir: env.DATA_DIR || 'data',
    secureCookies: flag(env, 'SECURE_COOKIES', env.NODE_ENV === 'production'),
    passwordHashCost: passwordHashCost(env),
    apiRateLimitPerSecond: integer(env, 'API_RATE_LIMIT', 50, 0, 1_000_000),
    apiRateLimitBurst: integer(env, 'API_RATE_BURST', 100, 1, 1_000_000),
    payments: paymentsConfig(env),
    engine: Object.freeze({
      leaseMs: integer(env, 'WORKER_LEASE_MS', 60_000, 100, 3_600_000),
      pollMs: integer(env, 'WORKER_POLL_MS', 1_000, 1, 600_000),
      batchSize: integer(env, 'WORKER_BATCH_SIZE', 50, 1, 1_000),
      // A demo order starts after 5 s and delivers a twentieth every 3 s: about a minute.
      simulatorStartDelayMs: integer(env, 'SIMULATOR_START_DELAY_MS', 5_000, 0, 86_400_000),
      simulatorStepMs: integer(env, 'SIMULATOR_STEP_MS', 3_000, 0, 86_400_000),
      simulatorStepUnits: integer(env, 'SIMULATOR_STEP_UNITS', 0, 0, 100_000_000),
      upstreamTimeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 15_000, 100, 600_000),
      upstreamPollMs: integer(env, 'UPSTREAM_POLL_MS', 30_000, 100, 86_400_000),
      upstreamGiveUpMs: integer(env, 'UPSTREAM_GIVE_UP_MS', 21_600_000, 0, 30 * 86_400_000),
    }),
  });
}
