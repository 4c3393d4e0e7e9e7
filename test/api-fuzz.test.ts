import { expect, it } from 'vitest';
import { describeEachDatabase } from './support/databases.js';
import { runFuzzBattery } from './support/fuzz-battery.js';

/**
 * The quick form of `npm run fuzz` (issue 8): the same seeded requests, 1,500 per database, on
 * the real server over loopback. A fixed seed, so a failure here is a failure every time.
 */
const REQUESTS = 1500;
const SEED = 20_260_801;

describeEachDatabase('api v2 fuzz', (db) => {
  it(`${REQUESTS} fuzzed requests: no 5xx, only documented shapes, ledger clean`, async () => {
    const report = await runFuzzBattery(db().ctx, { seed: SEED, requests: REQUESTS, concurrency: 16 });
    expect(report.requests).toBe(REQUESTS);
    expect(report.serverErrors, JSON.stringify(report.serverLog.slice(0, 3))).toEqual([]);
    expect(report.undocumented).toEqual({});
    // Every request is answered, malformed HTTP and a HEAD that carries a body included.
    expect(report.noAnswer).toEqual({});
    expect(report.ledger.violations).toEqual([]);
    // The battery reached past authentication into the actions, not just the refusals.
    expect(report.statusCounts['200'] ?? 0).toBeGreaterThan(REQUESTS / 3);
  }, 60_000);
});
