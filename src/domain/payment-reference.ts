/**
 * Payment references ("INSP-7Q4K2M") that a customer copies into a bank transfer's remittance
 * field, so an incoming credit can be matched to the account that asked for it.
 */

/** No 0/O, 1/I/L: a reference is read off a screen and typed by hand into a banking app. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const PREFIX = 'INSP-';
const CODE_LENGTH = 6;

// The largest multiple of the alphabet's size that fits a byte: bytes at or above it are
// thrown away, so every character is exactly equally likely (no modulo bias).
const ACCEPT_BELOW = 256 - (256 % REFERENCE_ALPHABET.length);

// A real random source rejects a byte with probability 8/256; a source that rejects every
// byte for this many rounds is broken, and looping forever would hide that.
const MAX_DRAW_ROUNDS = 100;

const NORMALISED = new RegExp(`^INSP-[${REFERENCE_ALPHABET}]{${CODE_LENGTH}}$`);

// "INSP", then a hyphen, slash, whitespace or nothing, then exactly six letters or digits that
// are neither preceded nor followed by another letter or digit. The six are checked against
// the alphabet afterwards, so "INSP-7Q4K2MX" fails as a whole rather than matching its start.
const LOOSE = /(?<![A-Za-z0-9])INSP(?:\s*[-/]\s*|\s+)?([A-Za-z0-9]{6})(?![A-Za-z0-9])/gi;

/** A fresh reference: "INSP-" and six characters drawn uniformly from the alphabet. */
export function newPaymentReference(randomBytes: (n: number) => Uint8Array): string {
  let code = '';
  // Each round asks for exactly the characters still missing, so no random byte is wasted.
  for (let round = 0; round < MAX_DRAW_ROUNDS && code.length < CODE_LENGTH; round++) {
    for (const byte of randomBytes(CODE_LENGTH - code.length)) {
      if (byte < ACCEPT_BELOW) code += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length];
    }
  }
  if (code.length < CODE_LENGTH) throw new Error('newPaymentReference: the random source never yields');
  return PREFIX + code;
}

/** Whether `text` is a reference in its normalised form ("INSP-" and six alphabet characters). */
export function isPaymentReference(text: string): boolean {
  return NORMALISED.test(text);
}

/**
 * Every reference in free text, normalised to "INSP-XXXXXX", de-duplicated, in order of
 * appearance. Tolerates the ways people type it into a remittance field: any case, and a
 * space, a slash or nothing in place of the hyphen.
 */
export function findPaymentReferences(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(LOOSE)) {
    const reference = PREFIX + (match[1] ?? '').toUpperCase();
    if (isPaymentReference(reference)) found.add(reference);
  }
  return [...found];
}
