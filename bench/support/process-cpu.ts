import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent by the processes under load, read from /proc (Linux). A ratio to the bare
 * handler moves with everything on the machine (the bare baseline alone read 16,000 to 55,000
 * req/s on this VM from one hour to the next) and with the load generator's own cost; the CPU
 * a request costs the panel and PostgreSQL says which of the two a change helped, and which
 * one a scenario is bound by. It moves too when a neighbour on the host slows every
 * instruction (the same `add` read 60 and 138 µs an hour apart): compare runs made together.
 */
export interface CpuMeter {
  start(): void;
  /**
   * CPU time since start(), in µs: the panel's process (all its threads), and PostgreSQL's;
   * undefined when the panel's process could not be read (gone, or no /proc).
   */
  stop(): { serverUs: number; postgresUs: number } | undefined;
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

/** CPU µs of each PostgreSQL process on this machine: the bench's backends and the server's own. */
function postgresCpuUs(): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || commandOf(pid) !== 'postgres') continue;
    const us = processCpuUs(pid);
    if (us !== undefined) byPid.set(pid, us);
  }
  return byPid;
}

/**
 * PostgreSQL's CPU between two readings, process by process: one that began meanwhile counts
 * whole, one that ended meanwhile is left out (its last seconds are lost, not its whole life
 * subtracted).
 */
function postgresDeltaUs(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const [pid, us] of after) total += us - (before.get(pid) ?? 0);
  return total;
}

export function cpuMeterOf(serverPid: number | undefined): CpuMeter {
  let started: { serverUs: number | undefined; postgres: Map<string, number> } | undefined;
  return {
    start() {
      started = {
        serverUs: serverPid === undefined ? undefined : processCpuUs(serverPid),
        postgres: postgresCpuUs(),
      };
    },
    stop() {
      const serverUs = serverPid === undefined ? undefined : processCpuUs(serverPid);
      if (!started || started.serverUs === undefined || serverUs === undefined) return undefined;
      return {
        serverUs: serverUs - started.serverUs,
        postgresUs: postgresDeltaUs(started.postgres, postgresCpuUs()),
      };
    },
  };
}
