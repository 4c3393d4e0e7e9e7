/**
 * The bench server compiled to JavaScript, as production runs the panel (`node dist/...`):
 * a server under `node --import tsx` also carries tsx's loader (a worker thread with its own
 * heap), which production does not, so memory is measured on the built code. Type checking is
 * `npm run check`'s job: this build only emits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

/** Entries already compiled by this bench process: the api and growth sections share one build. */
const built = new Map<string, string>();

/** Compiles the bench server and the code it imports, once per bench run; returns the entry's path. */
export function buildBenchServer(artifactsDir: string): string {
  const done = built.get(artifactsDir);
  if (done) return done;
  const outDir = resolve(artifactsDir, 'bench-dist');
  mkdirSync(outDir, { recursive: true });
  const project = join(outDir, 'tsconfig.json');
  writeFileSync(
    project,
    JSON.stringify({
      extends: join(REPO, 'tsconfig.json'),
      compilerOptions: { outDir, rootDir: REPO, noCheck: true, sourceMap: false, noEmit: false },
      files: [join(REPO, 'bench/support/server-process.ts')],
      include: [],
    }),
  );
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', project], {
    stdio: 'inherit',
  });
  const entry = join(outDir, 'bench/support/server-process.js');
  built.set(artifactsDir, entry);
  return entry;
}
