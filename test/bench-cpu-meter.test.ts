import { describe, expect, it } from 'vitest';
import { cpuMeterOf } from '../bench/support/process-cpu.js';
import { formatTable } from '../bench/support/report.js';

describe('the bench CPU meter (bench/support/process-cpu.ts)', () => {
  it('reads the CPU time a process spent, and nothing for a process that is gone', () => {
    const meter = cpuMeterOf(process.pid);
    meter.start();
    // 60 ms of this process's own CPU, not of the clock: on a loaded machine (CI runs the test
    // files in parallel on two cores) 60 ms of wall time gave as little as 20 ms of CPU.
    const cpuAtStart = process.cpuUsage();
    const cpuSpentUs = () => {
      const spent = process.cpuUsage(cpuAtStart);
      return spent.user + spent.system;
    };
    let spins = 0;
    while (cpuSpentUs() < 60_000) spins += 1;
    const used = meter.stop();
    expect(spins).toBeGreaterThan(0);
    expect(used?.serverUs).toBeGreaterThanOrEqual(30_000);
    expect(used?.postgresUs).toBeGreaterThanOrEqual(0);
    const gone = cpuMeterOf(2 ** 22 + 1);
    gone.start();
    expect(gone.stop()).toBeUndefined();
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
