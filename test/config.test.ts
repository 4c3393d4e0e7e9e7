import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has the defaults of the README table', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:data/inspiria.db',
      logLevel: 'info',
      runWorker: true,
      seedDemo: true,
      secureCookies: false,
      apiRateLimitPerSecond: 50,
      apiRateLimitBurst: 100,
    });
    expect(config.payments).toMatchObject({
      stripeSecretKey: null,
      stripeApiUrl: 'https://api.stripe.com',
      bankIban: null,
      bankBeneficiary: 'Inspiria',
      maxOpenTransfers: 3,
      depositMinUnits: 100_000,
      depositMaxUnits: 50_000_000,
      businessName: 'Inspiria',
      businessAddress: '',
    });
    expect(config.engine).toEqual({
      leaseMs: 60_000,
      pollMs: 1_000,
      batchSize: 50,
      simulatorStartDelayMs: 5_000,
      simulatorStepMs: 3_000,
      simulatorStepUnits: 0,
      upstreamTimeoutMs: 15_000,
      upstreamPollMs: 30_000,
      upstreamGiveUpMs: 21_600_000,
      providerSyncIntervalMs: 3_600_000,
    });
    expect(Object.isFrozen(config) && Object.isFrozen(config.payments)).toBe(true);
  });

  it('reads flags, amounts and defaults that depend on another variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      NODE_ENV: 'production',
      RUN_WORKER: 'OFF',
      DEPOSIT_MIN: '12.50',
      BANK_IBAN: 'it60 x054 2811 1010 0000 0123 456',
      BUSINESS_NAME: ' Acme ',
      PORT: '',
    });
    expect(config).toMatchObject({ seedDemo: false, secureCookies: true, runWorker: false, port: 8080 });
    expect(config.payments).toMatchObject({
      depositMinUnits: 125_000,
      bankIban: 'IT60X0542811101000000123456',
      bankBeneficiary: 'Acme',
    });
  });

  it('names every bad variable in one error, never echoing the database URL', () => {
    const env = {
      PORT: '80a',
      RUN_WORKER: 'maybe',
      DEPOSIT_MIN: '10.001',
      STRIPE_API_URL: 'ftp://example.com',
      BANK_IBAN: 'not an iban',
      WORKER_BATCH_SIZE: '0',
      DATABASE_URL: 'mysql://user:hunter2@db',
    };
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'invalid configuration:',
      '  PORT must be a whole number from 0 to 65535 (got "80a")',
      '  DATABASE_URL must start with sqlite: or postgres://',
      '  RUN_WORKER must be true or false (got "maybe")',
      '  STRIPE_API_URL must be an http(s) URL (got "ftp://example.com")',
      '  BANK_IBAN must be an IBAN such as IT60X0542811101000000123456 (got "not an iban")',
      '  DEPOSIT_MIN must be a positive amount of EUR in whole cents, e.g. 10 or 12.50 (got "10.001")',
      '  WORKER_BATCH_SIZE must be a whole number from 1 to 1000 (got "0")',
    ]);
    expect(message).not.toContain('hunter2');
  });

  it('checks the deposit limits against each other once each is valid', () => {
    expect(() => loadConfig({ DEPOSIT_MIN: '6000' })).toThrow(
      'DEPOSIT_MIN must not exceed DEPOSIT_MAX (got "6000")',
    );
    expect(loadConfig({ DEPOSIT_MIN: '20', DEPOSIT_MAX: '20' }).payments.depositMaxUnits).toBe(200_000);
  });
});
