import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchDatabaseName } from './databases.js';

/** What every section is given: read once from the environment by bench/run.ts. */
export interface BenchSettings {
  /** The length of one measured run. */
  readonly seconds: number;
  /** How many times each API scenario is measured beside the bare baseline. */
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** The servers' pino level; `warn` keeps per-request logging out of the figures. */
  readonly logLevel: string;
  readonly isProfiled: boolean;
  readonly artifactsDir: string;
  readonly postgresUrl: string;
  readonly databases: readonly BenchDatabaseName[];
  /** When set, only scenarios whose name contains one of these (for profiling one path). */
  readonly only?: readonly string[];
}

export interface Measurement {
  scenario: string;
  /** Completed operations per second: requests, or whatever `unit` says. */
  rate: number;
  p50Ms?: number;
  p99Ms?: number;
  /** rate ÷ the baseline's rate measured in the same run. */
  ratio?: number;
  failures: number;
  /** CPU µs per operation (process-cpu.ts): the server process's, and PostgreSQL's. */
  serverCpuUs?: number;
  postgresCpuUs?: number;
}

export interface ResultTable {
  title: string;
  unit: string;
  /** What `ratio` divides by, for the reader. */
  baseline: string;
  rows: Measurement[];
}

export interface Aim {
  description: string;
  isMet: boolean;
}

export interface SectionResult {
  name: string;
  tables: ResultTable[];
  aims: Aim[];
  /** Anything that makes a figure untrustworthy (failed requests, a broken ledger...). */
  problems: string[];
  notes: string[];
}

/** One part of `npm run bench`; bench/run.ts runs them in order. */
export interface BenchSection {
  name: string;
  run(settings: BenchSettings): Promise<SectionResult>;
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined ? '' : value.toFixed(digits);

export function formatTable(table: ResultTable): string {
  const hasCpu = table.rows.some((row) => row.serverCpuUs !== undefined);
  const header = ['scenario', table.unit, 'p50 ms', 'p99 ms', `× ${table.baseline}`, 'failures'];
  if (hasCpu) header.push('server µs', 'pg µs');
  const lines = table.rows.map((row) => [
    row.scenario,
    fixed(row.rate, 0),
    fixed(row.p50Ms, 1),
    fixed(row.p99Ms, 1),
    fixed(row.ratio, 2),
    String(row.failures),
    ...(hasCpu ? [fixed(row.serverCpuUs, 0), fixed(row.postgresCpuUs, 0)] : []),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => line[i]?.length ?? 0)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [table.title, render(header), ...lines.map(render)].join('\n');
}

export function printSection(result: SectionResult): void {
  const out: string[] = [];
  for (const table of result.tables) out.push('', formatTable(table));
  if (result.aims.length > 0) out.push('');
  for (const aim of result.aims) out.push(`${aim.isMet ? 'MET    ' : 'NOT MET'}  ${aim.description}`);
  for (const note of result.notes) out.push(`note: ${note}`);
  for (const problem of result.problems) out.push(`PROBLEM: ${problem}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable)';
  }
}

/** Other work on the machine moves every figure: say how busy it was. */
export function describeMachine(): string {
  const [oneMinute = 0] = loadavg();
  return `${cpus().length} CPUs, load average ${oneMinute.toFixed(1)} (1 min), node ${process.version}`;
}

export function writeJsonReport(
  settings: BenchSettings,
  results: SectionResult[],
  startedAt: Date,
  machineAtStart: string,
): string {
  mkdirSync(settings.artifactsDir, { recursive: true });
  const file = join(settings.artifactsDir, 'bench.json');
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    machineAtStart,
    machineAtEnd: describeMachine(),
    settings: { ...settings, postgresUrl: withoutPassword(settings.postgresUrl) },
    sections: results,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
