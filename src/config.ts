import { z } from 'zod';
import { parseEuros } from './domain/money.js';

/**
 * The only reader of process.env (style rule 9): parsed once by one schema, typed, frozen. Bad
 * values stop the program at start with one error naming every bad variable.
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
  /** /api/v2 requests per second per address without a proven key, 0 for no limit (needs the per-key one). */
  readonly apiAnonymousRateLimitPerSecond: number;
  /** How many such requests an address may send at once. */
  readonly apiAnonymousRateLimitBurst: number;
  /** 32 bytes sealing the TOTP secrets; null: a key file in the data directory, made on first start. */
  readonly twoFactorKey: Buffer | null;
  /** Provider URLs may lead to loopback and private addresses (tests, a closed network); off by default. */
  readonly allowPrivateProviderUrls: boolean;
  /**
   * Who reads /metrics: with a token, bearers of it on the main port; with a port, anyone
   * reaching that port (bound to `metricsHost`); with neither, nobody (404).
   */
  readonly metricsToken: string | null;
  readonly metricsPort: number | null;
  readonly metricsHost: string;
  /** How long SIGTERM/SIGINT may take to finish requests and the worker's round before exiting anyway. */
  readonly shutdownTimeoutMs: number;
  /** Redis shared by the API nodes for their rate limits; null keeps each node's own limiter. */
  readonly redisUrl: string | null;
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
  /** Outgoing mail: SMTP, or `.eml` files under `dataDir/mail` without SMTP_URL. */
  readonly mail: {
    readonly smtpUrl: string | null;
    readonly from: string;
    /** Where the links in mails lead: the panel's address as customers reach it. */
    readonly publicUrl: string;
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
    /** How often the worker syncs each provider's catalog and balance (issue 13). */
    readonly providerSyncIntervalMs: number;
  };
}

/** Unset and empty alike mean "the default", as they always have. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
/** Trimmed, and unset when nothing is left. */
const unsetIfBlank = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);

function integer(fallback: number, min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, message)
      .transform(Number)
      .pipe(z.number().min(min, message).max(max, message))
      .default(fallback),
  );
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'] as const;
const FALSE_WORDS = ['0', 'false', 'no', 'off'] as const;

/** A flag whose default may depend on another variable: unset stays undefined here. */
function flag() {
  return z.preprocess(
    (value) => unsetIfEmpty(typeof value === 'string' ? value.toLowerCase() : value),
    z
      .enum([...TRUE_WORDS, ...FALSE_WORDS], { error: 'must be true or false' })
      .transform((word) => (TRUE_WORDS as readonly string[]).includes(word))
      .optional(),
  );
}

function euros(fallbackUnits: number) {
  const message = 'must be a positive amount of EUR in whole cents, e.g. 10 or 12.50';
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((text) => parseEuros(text))
      .pipe(z.number({ error: message }).positive(message).multipleOf(100, message))
      .default(fallbackUnits),
  );
}

function text(fallback: string) {
  return z.preprocess(unsetIfEmpty, z.string().default(fallback));
}

/** Trimmed; unset or blank is null. */
const optionalText = z.preprocess(unsetIfBlank, z.string().optional());

const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: integer(8080, 0, 65535),
  HOST: text('127.0.0.1'),
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
      .default('sqlite:data/inspiria.db'),
  ),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  RUN_WORKER: flag(),
  SEED_DEMO: flag(),
  DATA_DIR: text('data'),
  NODE_ENV: z.string().optional(),
  SECURE_COOKIES: flag(),
  API_RATE_LIMIT: integer(50, 0, 1_000_000),
  API_RATE_BURST: integer(100, 1, 1_000_000),
  API_ANONYMOUS_RATE_LIMIT: integer(5, 0, 1_000_000),
  API_ANONYMOUS_RATE_BURST: integer(20, 1, 1_000_000),
  ALLOW_PRIVATE_PROVIDER_URLS: flag(),
  METRICS_TOKEN: z.preprocess(
    unsetIfBlank,
    z.string().min(16, 'must be at least 16 characters (a random secret)').optional(),
  ),
  METRICS_PORT: z.preprocess(unsetIfEmpty, integer(0, 0, 65535).optional()),
  METRICS_HOST: text('127.0.0.1'),
  SHUTDOWN_TIMEOUT_MS: integer(10_000, 100, 600_000),
  REDIS_URL: z.preprocess(
    unsetIfBlank,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  TWO_FACTOR_KEY: z.preprocess(
    unsetIfBlank,
    z
      .string()
      .refine((text) => Buffer.from(text, 'base64').length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(text), {
        message: 'must be 32 bytes in base64, e.g. the output of: openssl rand -base64 32',
      })
      .optional(),
  ),
  PASSWORD_HASH_COST: z.preprocess(
    unsetIfBlank,
    z.enum(['standard', 'test'], { error: 'must be standard or test' }).default('standard'),
  ),
  STRIPE_SECRET_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  STRIPE_API_URL: z.preprocess(
    unsetIfBlank,
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://api.stripe.com'),
  ),
  BANK_IBAN: z.preprocess(
    (value) => (typeof value === 'string' ? unsetIfBlank(value.replace(/\s+/g, '').toUpperCase()) : value),
    z.string().regex(IBAN, 'must be an IBAN such as IT60X0542811101000000123456').optional(),
  ),
  BANK_BENEFICIARY: optionalText,
  BANK_BIC: optionalText,
  BANK_MAX_OPEN_TRANSFERS: integer(3, 1, 100),
  DEPOSIT_MIN: euros(100_000),
  DEPOSIT_MAX: euros(50_000_000),
  BUSINESS_NAME: optionalText,
  BUSINESS_ADDRESS: optionalText,
  BUSINESS_VAT_ID: optionalText,
  BUSINESS_EMAIL: optionalText,
  SMTP_URL: z.preprocess(
    unsetIfBlank,
    z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  ),
  MAIL_FROM: optionalText,
  PUBLIC_URL: z.preprocess(
    unsetIfBlank,
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ),
  WORKER_LEASE_MS: integer(60_000, 100, 3_600_000),
  WORKER_POLL_MS: integer(1_000, 1, 600_000),
  WORKER_BATCH_SIZE: integer(50, 1, 1_000),
  // A demo order starts after 5 s and delivers a twentieth every 3 s: about a minute.
  SIMULATOR_START_DELAY_MS: integer(5_000, 0, 86_400_000),
  SIMULATOR_STEP_MS: integer(3_000, 0, 86_400_000),
  SIMULATOR_STEP_UNITS: integer(0, 0, 100_000_000),
  UPSTREAM_TIMEOUT_MS: integer(15_000, 100, 600_000),
  UPSTREAM_POLL_MS: integer(30_000, 100, 86_400_000),
  PROVIDER_SYNC_INTERVAL_MS: integer(3_600_000, 1_000, 604_800_000),
  UPSTREAM_GIVE_UP_MS: integer(21_600_000, 0, 30 * 86_400_000),
});

/** The schema with the rules across variables, each checked once its variables are valid. */
const checkedEnvSchema = envSchema
  .refine((env) => env.DEPOSIT_MIN <= env.DEPOSIT_MAX, {
    path: ['DEPOSIT_MIN'],
    message: 'must not exceed DEPOSIT_MAX',
    when: (payload) =>
      !payload.issues.some((issue) => ['DEPOSIT_MIN', 'DEPOSIT_MAX'].includes(String(issue.path?.[0]))),
  })
  // Cheap hashes are for test runs: a production server never stores one.
  .refine((env) => !(env.PASSWORD_HASH_COST === 'test' && env.NODE_ENV === 'production'), {
    path: ['PASSWORD_HASH_COST'],
    message: 'is for test runs only, never under NODE_ENV=production',
    when: (payload) => !payload.issues.some((issue) => String(issue.path?.[0]) === 'PASSWORD_HASH_COST'),
  });

type Env = z.infer<typeof envSchema>;

/** Never echoed in an error: it may carry a password. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'METRICS_TOKEN',
  'REDIS_URL',
  'SMTP_URL',
  'TWO_FACTOR_KEY',
]);

function describeIssue(env: NodeJS.ProcessEnv, issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0]);
  const value = env[name];
  const got = value === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(value)})`;
  return `${name} ${issue.message}${got}`;
}

function toConfig(env: Env): Config {
  const isEmbedded = env.DATABASE_URL.startsWith('sqlite:');
  const businessName = env.BUSINESS_NAME ?? 'Inspiria';
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    logLevel: env.LOG_LEVEL,
    runWorker: env.RUN_WORKER ?? true,
    seedDemo: env.SEED_DEMO ?? isEmbedded,
    dataDir: env.DATA_DIR,
    secureCookies: env.SECURE_COOKIES ?? env.NODE_ENV === 'production',
    apiRateLimitPerSecond: env.API_RATE_LIMIT,
    apiRateLimitBurst: env.API_RATE_BURST,
    apiAnonymousRateLimitPerSecond: env.API_ANONYMOUS_RATE_LIMIT,
    apiAnonymousRateLimitBurst: env.API_ANONYMOUS_RATE_BURST,
    allowPrivateProviderUrls: env.ALLOW_PRIVATE_PROVIDER_URLS ?? false,
    metricsToken: env.METRICS_TOKEN ?? null,
    metricsPort: env.METRICS_PORT ?? null,
    metricsHost: env.METRICS_HOST,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    redisUrl: env.REDIS_URL ?? null,
    twoFactorKey: env.TWO_FACTOR_KEY ? Buffer.from(env.TWO_FACTOR_KEY, 'base64') : null,
    passwordHashCost: env.PASSWORD_HASH_COST,
    payments: Object.freeze({
      stripeSecretKey: env.STRIPE_SECRET_KEY ?? null,
      stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET ?? null,
      stripeApiUrl: env.STRIPE_API_URL,
      bankIban: env.BANK_IBAN ?? null,
      bankBeneficiary: env.BANK_BENEFICIARY ?? businessName,
      bankBic: env.BANK_BIC ?? null,
      depositMinUnits: env.DEPOSIT_MIN,
      depositMaxUnits: env.DEPOSIT_MAX,
      maxOpenTransfers: env.BANK_MAX_OPEN_TRANSFERS,
      businessName,
      businessAddress: env.BUSINESS_ADDRESS ?? '',
      businessVatId: env.BUSINESS_VAT_ID ?? null,
      businessEmail: env.BUSINESS_EMAIL ?? null,
    }),
    mail: Object.freeze({
      smtpUrl: env.SMTP_URL ?? null,
      from: env.MAIL_FROM ?? `${businessName} <${env.BUSINESS_EMAIL ?? 'no-reply@localhost'}>`,
      publicUrl: env.PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`,
    }),
    engine: Object.freeze({
      leaseMs: env.WORKER_LEASE_MS,
      pollMs: env.WORKER_POLL_MS,
      batchSize: env.WORKER_BATCH_SIZE,
      simulatorStartDelayMs: env.SIMULATOR_START_DELAY_MS,
      simulatorStepMs: env.SIMULATOR_STEP_MS,
      simulatorStepUnits: env.SIMULATOR_STEP_UNITS,
      upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
      upstreamPollMs: env.UPSTREAM_POLL_MS,
      providerSyncIntervalMs: env.PROVIDER_SYNC_INTERVAL_MS,
      upstreamGiveUpMs: env.UPSTREAM_GIVE_UP_MS,
    }),
  });
}

/** Throws one error with a line per bad variable, each naming it and what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checkedEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => describeIssue(env, issue));
    throw new Error(lines.length === 1 ? lines[0] : `invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return toConfig(parsed.data);
}
