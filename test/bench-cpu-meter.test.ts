import { describe, expect, it } from 'vitest';
import { cpuMeterOf } from '../bench/support/process-cpu.js';
import { formatTable } from '../bench/support/report.js';

describe('the bench CPU meter (bench/support/process-cpu.ts)', () => {
  it('reads the CPU time a process spent, and nothing for a process that is gone', () => {
    const meter = cpuMeterOf(process.pid);
    const before = meter.read();
    const busyUntil = Date.now() + 60;
    let spins = 0;
    while (Date.now() < busyUntil) spins += 1;
    const after = meter.read();
    expect(spins).toBeGreaterThan(0);
    expect(before && after && after.serverUs - before.serverUs).toBeGreaterThanOrEqual(30_000);
    expect(after?.postgresUs).toBeGreaterThanOrEqual(0);
    expect(cpuMeterOf(2 ** 22 + 1).read()).toBeUndefined();
  });

  it('prints CPU columns only for a table whose rows were metered', () => {
    const rows = [{ scenario: 'bare', rate: 100, failures: 0 }];
    const plain = formatTable({ title: 't', unit: 'req/s', baseline: 'bare', rows });
    expect(plain).not.toContain('server µs');
    const metered = formatTable({
      title: 't',
      unit: 'req/s',
      baseline: 'bare',
      rows: [{ scenario: 'bare', rate: 100, failures: 0, serverCpuUs: 123.4, postgresCpuUs: 5 }],
    });
    expect(metered.split('\n')[1]).toMatch(/server µs\s+pg µs$/);
    expect(metered.split('\n')[2]).toMatch(/\s123\s+5$/);
  });
});
