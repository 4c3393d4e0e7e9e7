import { describe, expect, it } from 'vitest';
import { type KeptAnswer, StatusAnswersKept } from './status-answers-kept.js';

const answerOf = (chars: number, stamp = 1): KeptAnswer => ({
  accountId: 7,
  apiProfile: 'inspiria',
  stamp,
  members: 'x'.repeat(chars),
});

describe('StatusAnswersKept', () => {
  it('gives back what it kept, by key and ids, until forgotten', () => {
    const kept = new StatusAnswersKept();
    kept.keep('key', '1,2', answerOf(10));
    expect(kept.get('key', '1,2')?.members).toBe('x'.repeat(10));
    expect(kept.get('key', '1,2,3')).toBeUndefined();
    expect(kept.get('other', '1,2')).toBeUndefined();
    kept.forget('key', '1,2');
    expect(kept.get('key', '1,2')).toBeUndefined();
  });

  it('lets the oldest go once its answers pass about 4 MB, keys counted', () => {
    const kept = new StatusAnswersKept();
    kept.keep('key', 'a', answerOf(1_500_000));
    kept.keep('key', 'b', answerOf(1_500_000));
    // Kept again: replaced, not counted twice.
    for (let stamp = 2; stamp < 10; stamp += 1) kept.keep('key', 'b', answerOf(1_500_000, stamp));
    expect(kept.get('key', 'a')).toBeDefined();
    expect(kept.get('key', 'b')?.stamp).toBe(9);
    kept.keep('key', 'c', answerOf(1_500_000));
    expect(kept.get('key', 'a')).toBeUndefined();
    expect(kept.get('key', 'b')).toBeDefined();
    expect(kept.get('key', 'c')).toBeDefined();
    // Many one-order batches: their keys fill the room too.
    for (let id = 0; id < 50_000; id += 1) kept.keep('k'.repeat(64), String(id), answerOf(30));
    expect(kept.get('key', 'b')).toBeUndefined();
    expect(kept.get('k'.repeat(64), '0')).toBeUndefined();
    expect(kept.get('k'.repeat(64), '49999')).toBeDefined();
  });

  it('keeps nothing larger than its whole room', () => {
    const kept = new StatusAnswersKept();
    kept.keep('key', 'a', answerOf(10));
    kept.keep('key', 'huge', answerOf(5_000_000));
    expect(kept.get('key', 'huge')).toBeUndefined();
    expect(kept.get('key', 'a')).toBeDefined();
  });
});
