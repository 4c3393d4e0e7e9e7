/**
 * Prints where a V8 CPU profile spent its time, by function and by file, so `BENCH_PROFILE=1
 * npm run bench` can be read without a browser:
 *   npx tsx bench/support/profile-summary.ts artifacts/profiles/api-sqlite [top]
 * Given a directory, it reads the largest profile there: the main thread's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const src = url.indexOf('/src/');
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '');
}

function top(totals: Map<string, number>, count: number, totalUs: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, us]) =>
        `${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
}

const frameName = (frame: ProfileNode['callFrame']) =>
  `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url) || '(native)'}:${frame.lineNumber + 1}`;

/** Each src/ function's time including what it called: where a request's time goes. */
function inclusiveOfSource(profile: CpuProfile, selfUs: Map<number, number>): Map<string, number> {
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node);
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let node = byId.get(id); node; node = parentOf.get(node.id)) {
      if (!shortUrl(node.callFrame.url).startsWith('src/')) continue;
      seen.add(frameName(node.callFrame));
    }
    for (const name of seen) totals.set(name, (totals.get(name) ?? 0) + us);
  }
  return totals;
}

function summarise(file: string, count: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const where = shortUrl(frame.url) || '(native)';
    const name = frameName(frame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const pkg = where.startsWith('src/')
      ? where
      : where
          .split('/')
          .slice(0, where.startsWith('@') ? 2 : 1)
          .join('/');
    byFile.set(pkg, (byFile.get(pkg) ?? 0) + us);
  }
  return [
    `${file}: ${(totalUs / 1000).toFixed(0)} ms sampled`,
    'total time (self and callees) of our own functions:',
    ...top(inclusiveOfSource(profile, selfUs), count, totalUs),
    'self time by function:',
    ...top(byFunction, count, totalUs),
    'self time by package or source file:',
    ...top(byFile, count, totalUs),
  ].join('\n');
}

function largestProfileIn(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name));
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest) throw new Error(`no .cpuprofile in ${path}`);
  return largest;
}

const [path, count] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: profile-summary.ts FILE.cpuprofile|DIRECTORY [TOP]\n');
  process.exit(2);
}
process.stdout.write(`${summarise(largestProfileIn(path), Number(count ?? 25))}\n`);
