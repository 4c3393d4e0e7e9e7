import { describe, expect, it } from 'vitest';
import { parseFormFields } from './text-input.js';

describe('parseFormFields', () => {
  it('keeps every one of 1,500 ticked boxes (node stops at 1,000 unless told)', () => {
    const ids = Array.from({ length: 1500 }, (_, i) => String(i + 1));
    const body = Buffer.from(ids.map((id) => `services=${id}`).join('&'), 'latin1');
    expect(parseFormFields(body).services).toEqual(ids);
  });

  it('stops at its own limit rather than reading without end', () => {
    const body = Buffer.from(Array.from({ length: 6000 }, (_, i) => `f${i}=1`).join('&'), 'latin1');
    expect(Object.keys(parseFormFields(body))).toHaveLength(5000);
  });
});
