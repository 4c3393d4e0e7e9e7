import { type ChildProcess, execFile, fork, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect } from 'vitest';

/**
 * The real CLI and server, run as child processes from the output of the real build
 * (tsconfig.build.json, what `npm run build` compiles). Each distinct state of the sources is
 * built once into dist/.test-builds/HASH, shared by the test files, so that test files running
 * in parallel never read a `dist/src` that another one (or `npm run build`) is rewriting. It
 * sits inside the repository as dist/src does, so packages, package.json and src/web/assets
 * are found from it exactly as from dist/src.
 */
export const REPO = resolve(import.meta.dirname, '../..');
const BUILDS = join(REPO, 'dist', '.test-builds');
const _run = promisify(execFile);
const CLI_TIMEOUT_MS = 25_000;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.test.ts') ? [] : [path];
  });
}

/**
 * Test programs built beside the sources, so that a test runs them compiled as it runs the bin:
 * under tsx each start costs about 2.6 s of a core, compiled about 0.7 s.
 */
const TEST_PROGRAMS = ['api-node-process.ts', 'api-server.ts', 'reply-cap-child.ts'].map((name) =>
  join(REPO, 'test', 'support', name),
);

function sourcesHash(): string {
  const hash = createHash('sha256');
  const configs = ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((name) => join(REPO, name));
  for (const file of [...configs, ...sourceFiles(join(REPO, 'src')), ...TEST_PROGRAMS]) {
    hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Builds of earlier states of the sources, left by earlier runs: an hour is long enough for any run. */
function pruneOldBuilds(keep: string): void {
  const cutoffMs = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(BUILDS)) {
    const path = join(BUILDS, name);
    if (path === keep) continue;
    try {
      if (statSync(path).mtimeMs < cutoffMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another test file.
    }
  }
}

/** Builds the sources (once per state of them) and returns the build's root directory. */
export async function buildOnce(): Promise<string> {
  const root = join(BUILDS, sourcesHash());
  if (existsSync(join(root, 'src', 'cli', 'main.js'))) {
    // Marks it as in use, so that pruning leaves it alone.
    utimesSync(root, new Date(), new Date());
    return root;
  }
  const staging = `${root}.tmp-${randomBytes(4).toString('hex')}`;
  mkdirSync(staging, { recursive: true });
  try {
    // The sources as tsconfig.build.json lays them out, transpiled file by file with esbuild
    // (a fraction of a second where tsc takes 15 s of a core): the types are checked by
    // `npm run check`, and `npm start` (cli-start.test.ts) still builds with tsc.
    const sources = sourceFiles(join(REPO, 'src')).filter((file) => file.endsWith('.ts'));
    await build({
      entryPoints: [...sources, ...TEST_PROGRAMS],
      outdir: staging,
      outbase: REPO,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'silent',
      tsconfig: join(REPO, 'tsconfig.build.json'),
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`the build failed:\n${(error as Error).message}`);
  }
  try {
    renameSync(staging, root);
  } catch {
    // Another test file finished the same build first: use theirs.
    rmSync(staging, { recursive: true, force: true });
  }
  pruneOldBuilds(root);
  return root;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * An environment for a child process: only what the program needs, nothing of the test runner's.
 * Its password hashes are made at the test cost, as the test process's own are (test/support/setup.ts).
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    LOG_LEVEL: 'warn',
    // Fake providers are served on loopback.
    ALLOW_PRIVATE_PROVIDER_URLS: 'true',
    PASSWORD_HASH_COST: 'test',
    ...env,
  };
}

/**
 * The build for a test file's children, made (or found) before its tests: `build()` is its root,
 * for `binOf` and `builtTestProgram`.
 */
export function useBuild(): () => string {
  let root = '';
  beforeAll(async () => {
    root = await buildOnce();
  }, 180_000);
  return () => root;
}

/** A test program of TEST_PROGRAMS inside a build, e.g. `builtTestProgram(build, 'api-node-process')`. */
export function builtTestProgram(build: string, name: string): string {
  return join(build, 'test', 'support', `${name}.js`);
}

/** The package's bin (`inspiria`) inside a build. */
export function binOf(build: string): string {
  return join(
    build,
    JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).bin.inspiria.replace(/^dist\//, ''),
  );
}

function resultOf(code: number | null, stdout: string, stderr: string): CliResult {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

/** Runs `inspiria ARGS` (the package's bin) in a process of its own and collects its exit code and output. */
export function runCli(build: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    // A hung command is killed rather than left behind the test that timed out on it.
    const child = spawn(process.execPath, [binOf(build), ...args], {
      env: childEnv(env),
      cwd: tmpdir(),
      timeout: CLI_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(resultOf(code, stdout, stderr)));
  });
}

/** One process that runs a suite's CLI commands one after another (see cli-host.mjs). */
interface CliHost {
  run(args: string[], env: Record<string, string>): Promise<CliResult>;
  stop(): Promise<void>;
}

function startCliHost(build: string): CliHost {
  const child = fork(join(import.meta.dirname, 'cli-host.mjs'), [binOf(build)], {
    env: childEnv({}),
    cwd: tmpdir(),
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  type Reply = { id: number; code: number; stdout: string; stderr: string };
  const pending = new Map<number, { resolve: (result: CliResult) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  child.on('message', (reply: Reply) => {
    pending.get(reply.id)?.resolve(resultOf(reply.code, reply.stdout, reply.stderr));
    pending.delete(reply.id);
  });
  child.on('exit', (code, signal) => {
    for (const { reject } of pending.values()) reject(new Error(`the CLI host exited (${code ?? signal})`));
    pending.clear();
  });
  return {
    run(args, env) {
      nextId += 1;
      const id = nextId;
      return new Promise((resolvePromise, reject) => {
        // A hung command is killed with its host rather than left behind the test that timed out on it.
        const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
        pending.set(id, {
          resolve: (result) => {
            clearTimeout(timer);
            resolvePromise(result);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ id, args, env });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A long-running child (the server) whose output is collected as it comes. */
export interface RunningProcess {
  readonly child: ChildProcess;
  output(): string;
  errors(): string;
  /** Resolves with the first match of `pattern` in stdout, or rejects when the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
}

export function startProcess(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): RunningProcess {
  const child = spawn(process.execPath, [script, ...args], { env: childEnv(env), cwd: tmpdir() });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolveExit) => {
    child.on('exit', (code) => {
      resolveExit(code);
      notify();
    });
  });
  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    waitFor(pattern) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) {
            listeners.delete(check);
            resolveMatch(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`process exited before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    exited: () => exit,
  };
}

/**
 * The CLI for a suite: builds once before its tests, then runs commands against the suite's
 * database (`databaseUrl()`, read per call) with a data directory of its own. `cli` runs them
 * one after another in one process of the suite's (test/support/cli-host.mjs); `cliProcess`
 * runs one in a process of its own, as an operator does, for the tests that show a command
 * also ends its process with the right code.
 */
export function useCli(
  databaseUrl: () => string,
  options: { dataDirPrefix?: string } = {},
): {
  cli: (args: string[], url?: string) => Promise<CliResult>;
  cliProcess: (args: string[], url?: string) => Promise<CliResult>;
  dataDir: string;
} {
  const builtRoot = useBuild();
  let host: CliHost | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), options.dataDirPrefix ?? 'inspiria-cli-'));
  beforeAll(() => {
    host = startCliHost(builtRoot());
  });
  afterAll(async () => {
    await host?.stop();
  });
  const envFor = (url: string) => ({ DATABASE_URL: url, DATA_DIR: dataDir });
  const cli = (args: string[], url = databaseUrl()) => {
    if (!host) throw new Error('the CLI host is not started');
    return host.run(args, envFor(url));
  };
  const cliProcess = (args: string[], url = databaseUrl()) => runCli(builtRoot(), args, envFor(url));
  return { cli, cliProcess, dataDir };
}

/** A refused command: non-zero exit, nothing on stdout, the reason on stderr. */
export function expectCliFailure(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
}
