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

/** Compiles the bench server and the code it imports; returns the entry's path. */
export function buildBenchServer(artifactsDir: string): string {
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
  return join(outDir, 'bench/support/server-process.js');
}
