import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';

/**
 * The key that seals TOTP secrets: TWO_FACTOR_KEY when set, otherwise a random key kept in
 * the data directory (readable by its owner only), made on first start. Either way it lives
 * outside the database, so a dump of the database alone does not reveal the secrets.
 */
export function loadTwoFactorKey(config: Config): Buffer {
  if (config.twoFactorKey) return config.twoFactorKey;
  const path = join(config.dataDir, 'two-factor.key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} must hold 32 bytes in base64`);
    return key;
  }
  const key = randomBytes(32);
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}
