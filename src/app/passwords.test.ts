import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import {
  hashPassword,
  STANDARD_HASH_COST,
  TEST_HASH_COST,
  usePasswordHashCost,
  verifyPassword,
} from './passwords.js';

describe('password hashes', () => {
  afterEach(() => usePasswordHashCost(TEST_HASH_COST));

  it('are argon2id at the standard cost unless a test run asks otherwise', async () => {
    expect(loadConfig({}).passwordHashCost).toBe('standard');
    usePasswordHashCost(STANDARD_HASH_COST);
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
  });

  it('made at the test cost verify their password and no other, whatever the cost in use', async () => {
    usePasswordHashCost(TEST_HASH_COST);
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=8,p=1,t=1\$/);
    usePasswordHashCost(STANDARD_HASH_COST);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batter')).toBe(false);
    expect(await verifyPassword('not a hash', 'correct horse battery')).toBe(false);
  });

  it('are made at the test cost only where a test run asks, never in production', () => {
    expect(loadConfig({ PASSWORD_HASH_COST: 'test' }).passwordHashCost).toBe('test');
    expect(() => loadConfig({ PASSWORD_HASH_COST: 'test', NODE_ENV: 'production' })).toThrow(
      /PASSWORD_HASH_COST/,
    );
    expect(() => loadConfig({ PASSWORD_HASH_COST: 'low' })).toThrow(/PASSWORD_HASH_COST/);
  });
});
