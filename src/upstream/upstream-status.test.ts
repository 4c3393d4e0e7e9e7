import { describe, expect, it } from 'vitest';
import { parseUpstreamStatus } from './upstream-status.js';

const order = { quantity: 1000, remains: 700 };

describe('parseUpstreamStatus', () => {
  it('reads the status words, any case', () => {
    expect(parseUpstreamStatus({ status: 'Pending', remains: '1000' }, order)).toEqual({
      ok: true,
      report: { kind: 'wait' },
    });
    for (const word of ['In progress', 'Processing', 'in progress', 'PROCESSING']) {
      expect(parseUpstreamStatus({ status: word, remains: '600', start_count: 12 }, order)).toEqual({
        ok: true,
        report: { kind: 'progress', remains: 600, startCount: 12 },
      });
    }
    expect(parseUpstreamStatus({ status: 'Completed', remains: 0 }, order)).toMatchObject({
      report: { ending: 'completed' },
    });
    expect(parseUpstreamStatus({ status: 'Partial', remains: '300' }, order)).toMatchObject({
      report: { remains: 300, ending: 'abandoned' },
    });
    for (const word of ['Canceled', 'Cancelled', 'Refunded', 'Error']) {
      expect(parseUpstreamStatus({ status: word }, order)).toMatchObject({
        report: { remains: 700, ending: 'failed' },
      });
    }
  });

  it('refuses whatever is hostile or malformed', () => {
    const hostile = [
      undefined,
      null,
      'Completed',
      [],
      { error: 'Incorrect order ID' },
      { status: 'Teleported', remains: '0' },
      { status: 42 },
      { status: 'In progress', remains: '1001' },
      { status: 'In progress', remains: '-1' },
      { status: 'In progress', remains: -1 },
      { status: 'In progress', remains: '1.5' },
      { status: 'In progress', remains: '1e3' },
      { status: 'In progress', remains: 'NaN' },
      { status: 'In progress', remains: { value: 1 } },
      { status: 'In progress' },
      { status: 'In progress', remains: '10', start_count: 'lots' },
      { status: 'In progress', remains: '10', start_count: -3 },
      { status: 'Completed', remains: '99999' },
    ];
    for (const entry of hostile)
      expect(parseUpstreamStatus(entry, order).ok, JSON.stringify(entry)).toBe(false);
  });
});
