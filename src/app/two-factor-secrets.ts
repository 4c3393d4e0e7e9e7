import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';

/**
 * TOTP secrets are sealed with AES-256-GCM under the panel's two-factor key (TWO_FACTOR_KEY,
 * or a key file in the data directory): a database dump alone does not let anyone compute
 * an account's codes. The format is `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** 160 random bits in base32, what RFC 6238 authenticator apps expect. */
export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export const RECOVERY_CODE_COUNT = 10;

/** 32 letters and digits without 0/o and 1/l, so a code read from paper is typed right. */
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Four groups of four characters: 80 random bits each, typed by hand if need be. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(16)].map((byte) => RECOVERY_ALPHABET[byte & 31]).join('');
    return chars.match(/.{4}/g)?.join('-') ?? chars;
  });
}

/** Lower case, no spaces or dashes: how a recovery code is typed back does not matter. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '').slice(0, 40);
}

/** The codes carry 80 random bits each and are single-use: a fast hash is enough. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code), 'utf8').digest('hex');
}
