import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { buildOnce, builtTestProgram } from './cli.js';
import type { TestDatabase } from './databases.js';

/** An API node in a process of its own (api-node-process.ts, compiled) over the test's database. */
export async function startApiNodeProcess(
  db: TestDatabase,
): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const program = builtTestProgram(await buildOnce(), 'api-node-process');
  const child: ChildProcess = spawn(process.execPath, [program], {
    env: { ...process.env, DATABASE_URL: db.url, NODE_CLOCK_MS: String(db.clock.now()) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!child.stdout) throw new Error('no stdout');
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
