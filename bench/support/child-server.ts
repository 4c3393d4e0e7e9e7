import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/server-node-flags.js';
import type { CheckedMessage, ChildMessage, ChildOptions, ParentMessage, ReadyMessage } from './protocol.js';

const SERVER_ENTRY = new URL('./server-process.ts', import.meta.url).pathname;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ChildServer {
  readonly ready: ReadyMessage;
  readonly baseUrl: string;
  /** The server process, to read its memory use from outside. */
  readonly pid: number | undefined;
  /** The ledger invariants and order count, checked inside the server's process. */
  check(): Promise<CheckedMessage>;
  stop(): Promise<void>;
}

export interface ChildLaunch {
  /** Names the log file and, when profiling, the CPU profile. */
  label: string;
  options: ChildOptions;
  artifactsDir: string;
  /** Write V8 CPU profiles of the server to artifacts/profiles/<label>/ on stop. */
  isProfiled: boolean;
  /** The compiled server (built-server.ts) to run with plain node instead of tsx. */
  builtEntry?: string;
}

function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no ${type} from the server within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) finish(undefined, message as Extract<ChildMessage, { type: T }>);
      else if (message.type === 'failed') finish(new Error(`bench server failed: ${message.message}`));
    };
    const onExit = (code: number | null) => finish(new Error(`bench server exited with code ${code}`));
    function finish(error?: Error, message?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as Extract<ChildMessage, { type: T }>);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** src/server-node-flags.ts, or BENCH_SERVER_NODE_FLAGS (space-separated; blank for none) to compare. */
function panelNodeFlags(): readonly string[] {
  const chosen = process.env.BENCH_SERVER_NODE_FLAGS;
  return chosen === undefined ? SERVER_NODE_FLAGS : chosen.split(' ').filter(Boolean);
}

/** Starts a bench server child (`node --import tsx`, or plain node on the built code), its logs in artifacts/logs/<label>.log. */
export async function startChildServer(launch: ChildLaunch): Promise<ChildServer> {
  const logDir = join(launch.artifactsDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, `${launch.label}.log`), 'w');
  const execArgv = launch.builtEntry ? [] : ['--import', 'tsx'];
  // The panel runs with the node flags it has when deployed; the bare baseline with node's own.
  if (launch.options.mode === 'panel') execArgv.push(...panelNodeFlags());
  if (launch.isProfiled) {
    // One profile per thread (tsx's loader runs in a worker): the main thread's is the largest.
    const profileDir = join(launch.artifactsDir, 'profiles', launch.label);
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  const child = fork(launch.builtEntry ?? SERVER_ENTRY, [], {
    execArgv,
    env: { ...process.env, BENCH_CHILD_OPTIONS: JSON.stringify(launch.options) },
    stdio: ['ignore', log, log, 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const post = (message: ParentMessage) => child.send(message);
  let ready: ReadyMessage;
  try {
    ready = await nextMessage(child, 'ready', START_TIMEOUT_MS);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    ready,
    baseUrl: `http://127.0.0.1:${ready.port}`,
    pid: child.pid,
    async check() {
      const answer = nextMessage(child, 'checked', START_TIMEOUT_MS);
      post({ type: 'check' });
      return answer;
    },
    async stop() {
      if (child.exitCode !== null) return;
      post({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
