import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent by the processes under load, read from /proc (Linux): a ratio to the bare
 * handler moves with whatever else the machine runs (the bare baseline alone read 16,000 to
 * 55,000 req/s on this VM from one day to the next), where the CPU a request costs the panel
 * and PostgreSQL moves far less, so it is the figure to compare across runs and sessions.
 */
export interface CpuMeter {
  /** Total CPU time so far, in µs: the panel's process (all its threads), and PostgreSQL's. */
  read(): { serverUs: number; postgresUs: number } | undefined;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process, in µs; undefined when it is gone or there is no /proc. */
function processCpuUs(pid: string | number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: the fields counted after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

const commandOf = (pid: string) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/** Every PostgreSQL process on this machine: the bench's backends and the server's own workers. */
function postgresCpuUs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (/^\d+$/.test(pid) && commandOf(pid) === 'postgres') total += processCpuUs(pid) ?? 0;
  }
  return total;
}

export function cpuMeterOf(serverPid: number | undefined): CpuMeter {
  return {
    read() {
      const serverUs = serverPid === undefined ? undefined : processCpuUs(serverPid);
      return serverUs === undefined ? undefined : { serverUs, postgresUs: postgresCpuUs() };
    },
  };
}
