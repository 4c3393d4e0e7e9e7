import { describe, expect, it } from 'vitest';
import { simulatorTestPrefix } from '../../domain/simulator-test-links.js';
import type { OrderRow } from '../../storage/schema.js';
import { simulatedStartCount, simulateStep } from './simulator.js';

const settings = { startDelayMs: 1_000, stepMs: 500, stepUnits: 0 };

function row(fields: Partial<OrderRow>): OrderRow {
  return {
    status: 'In progress',
    quantity: 1000,
    remains: 1000,
    failed_attempts: 0,
    created_at: 0,
    link: 'https://www.instagram.com/p/Normal001/',
    runs: null,
    interval_minutes: null,
    ...fields,
  } as OrderRow;
}

describe('simulator', () => {
  it('recognises test links by post code, reel code or username, any case', () => {
    expect(simulatorTestPrefix('https://www.instagram.com/p/goneXYZ12/')).toBe('gone');
    expect(simulatorTestPrefix('https://www.instagram.com/reel/FLAKY1234/')).toBe('flaky');
    expect(simulatorTestPrefix('crash_test_user')).toBe('crash');
    expect(simulatorTestPrefix('https://www.instagram.com/p/XgoneXYZ1/')).toBeUndefined();
    expect(simulatorTestPrefix('regular.user')).toBeUndefined();
  });

  it('waits for the start delay, then starts with a start_count fixed by the link', () => {
    const pending = row({ status: 'Pending', created_at: 10_000 });
    expect(simulateStep(pending, settings, 10_500)).toEqual({ report: { kind: 'wait' }, nextRunAt: 11_000 });
    expect(simulateStep(pending, settings, 11_000)).toEqual({
      report: { kind: 'start', startCount: simulatedStartCount(pending.link) },
      nextRunAt: 11_500,
    });
    expect(simulatedStartCount(pending.link)).toBe(simulatedStartCount(pending.link));
  });

  it('delivers a twentieth of the quantity per step by default', () => {
    expect(simulateStep(row({}), settings, 0).report).toEqual({ kind: 'deliver', units: 50 });
  });

  it('drives the unhappy paths from the test links', () => {
    const gone = row({ link: 'gone_account', failed_attempts: 4 });
    expect(simulateStep(gone, settings, 0).report).toEqual({ kind: 'failed_attempt' });
    const flaky = row({ link: 'https://www.instagram.com/p/flakyAbc12/' });
    expect(simulateStep({ ...flaky, failed_attempts: 2 }, settings, 0).report.kind).toBe('failed_attempt');
    expect(simulateStep({ ...flaky, failed_attempts: 3 }, settings, 0).report.kind).toBe('deliver');
    const crash = row({ link: 'crash_user' });
    expect(simulateStep(crash, settings, 0).report).toEqual({ kind: 'deliver', units: 50 });
    expect(simulateStep({ ...crash, remains: 950 }, settings, 0).report).toEqual({ kind: 'internal_error' });
    expect(simulateStep({ ...crash, quantity: 1, remains: 1 }, settings, 0).report).toEqual({
      kind: 'internal_error',
    });
  });
});
