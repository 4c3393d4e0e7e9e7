import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findPaymentReferences,
  isPaymentReference,
  newPaymentReference,
  REFERENCE_ALPHABET,
} from './payment-reference.js';

/** A random source that hands out the given bytes in order, as many as asked for. */
function bytesFrom(bytes: number[]): (n: number) => Uint8Array {
  let next = 0;
  return (n) => Uint8Array.from({ length: n }, () => bytes[next++ % bytes.length] ?? 0);
}

describe('REFERENCE_ALPHABET', () => {
  it('has no character that reads like another', () => {
    expect(REFERENCE_ALPHABET).toHaveLength(31);
    expect(REFERENCE_ALPHABET).not.toMatch(/[01ILO]/);
    expect(new Set(REFERENCE_ALPHABET).size).toBe(REFERENCE_ALPHABET.length);
  });
});

describe('newPaymentReference', () => {
  it('maps each accepted byte to one character', () => {
    expect(newPaymentReference(bytesFrom([0, 1, 30, 31, 62, 247]))).toBe('INSP-23Z22Z');
    expect(newPaymentReference(bytesFrom([7, 8, 9, 10, 29, 30]))).toBe('INSP-9ABCYZ');
  });

  it('throws away the bytes that would bias the draw', () => {
    // 248..255 are the 8 bytes past the last whole multiple of 31 in a byte.
    expect(newPaymentReference(bytesFrom([248, 255, 9, 252, 10, 11, 12, 13, 14]))).toBe('INSP-BCDEFG');
  });

  it('draws every character equally often when fed every byte value equally often', () => {
    // Three passes over 0..255 hold 3 × 248 = 744 acceptable bytes: 124 references exactly.
    const source = bytesFrom(Array.from({ length: 256 }, (_, byte) => byte));
    const counts = new Map<string, number>();
    for (let draw = 0; draw < 124; draw++) {
      for (const character of newPaymentReference(source).slice('INSP-'.length)) {
        counts.set(character, (counts.get(character) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(31);
    expect(new Set(counts.values())).toEqual(new Set([24]));
  });

  it('refuses a source that never yields an acceptable byte, rather than looping forever', () => {
    expect(() => newPaymentReference(bytesFrom([255]))).toThrow(/never yields/);
  });

  it('always makes a reference that is recognised, in any text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (bytes) => {
        const reference = newPaymentReference(bytesFrom([...bytes, 0]));
        expect(isPaymentReference(reference)).toBe(true);
        expect(findPaymentReferences(`Ricarica ${reference.toLowerCase()} grazie`)).toEqual([reference]);
      }),
    );
  });
});

describe('isPaymentReference', () => {
  it('accepts only the normalised form', () => {
    expect(isPaymentReference('INSP-7Q4K2M')).toBe(true);
    expect(isPaymentReference('insp-7q4k2m')).toBe(false);
    expect(isPaymentReference('INSP 7Q4K2M')).toBe(false);
    expect(isPaymentReference('INSP-7Q4K2O')).toBe(false);
    expect(isPaymentReference('INSP-7Q4K2')).toBe(false);
    expect(isPaymentReference(' INSP-7Q4K2M')).toBe(false);
  });
});

describe('findPaymentReferences', () => {
  it.each([
    ['INSP-7Q4K2M', ['INSP-7Q4K2M']],
    ['Ricarica INSP-7Q4K2M grazie', ['INSP-7Q4K2M']],
    ['insp 7q4k2m', ['INSP-7Q4K2M']],
    ['INSP7Q4K2M', ['INSP-7Q4K2M']],
    ['Insp/7q4K2m', ['INSP-7Q4K2M']],
    ['rif. INSP - 7Q4K2M.', ['INSP-7Q4K2M']],
    ['(INSP-7Q4K2M),INSP-9XHW3R;', ['INSP-7Q4K2M', 'INSP-9XHW3R']],
    ['INSP-9XHW3R and INSP-7Q4K2M and insp 9xhw3r', ['INSP-9XHW3R', 'INSP-7Q4K2M']],
  ])('finds the references in %j', (text, expected) => {
    expect(findPaymentReferences(text)).toEqual(expected);
  });

  it.each([
    'INSP-7Q4K2MX', // a longer run is some other code
    'XINSP-7Q4K2M',
    'INSP-7Q4K2',
    'INSP-7Q4K20', // 0 is not in the alphabet
    'INSP-ILO234',
    'INSP--7Q4K2M',
    'INSPECTION 7Q4K2M',
    '',
  ])('finds nothing in %j', (text) => {
    expect(findPaymentReferences(text)).toEqual([]);
  });
});
