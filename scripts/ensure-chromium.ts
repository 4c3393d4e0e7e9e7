/**
 * Run before `npm test` (the `pretest` script): the browser tests drive Debian's Chromium, in
 * its headless shell (the package chromium-headless-shell, the build Playwright itself runs
 * headless: a third of the full browser's CPU per page load on this machine, where the full
 * one's `--headless` keeps a browser-UI renderer busy even while idle), and on a fresh machine
 * it is not there. As root with apt-get we install it; otherwise we stop at
 * once with the command to run, rather than letting every browser test fail one by one.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** What the decision needs to know about the machine; injected so a test can play any machine. */
export interface MachineProbes {
  isChromiumInstalled(): boolean;
  isRoot(): boolean;
  hasAptGet(): boolean;
}

export type ChromiumDecision =
  | { kind: 'present' }
  | { kind: 'install'; command: string }
  | { kind: 'refuse'; message: string };

export const INSTALL_COMMAND = 'apt-get update -qq && apt-get install -y -qq chromium-headless-shell';
/** Where that package puts it; CHROMIUM_PATH chooses another binary. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium-headless-shell';

export function decideChromium(probes: MachineProbes, chromiumPath: string): ChromiumDecision {
  if (probes.isChromiumInstalled()) return { kind: 'present' };
  if (probes.isRoot() && probes.hasAptGet()) return { kind: 'install', command: INSTALL_COMMAND };
  const how = probes.hasAptGet()
    ? `sudo sh -c '${INSTALL_COMMAND}'`
    : 'install Chromium with your package manager (or set CHROMIUM_PATH to its binary)';
  return {
    kind: 'refuse',
    message: `ensure-chromium: ${chromiumPath} is missing and cannot be installed from here; run: ${how}`,
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function realProbes(chromiumPath: string): MachineProbes {
  return {
    isChromiumInstalled: () => isExecutable(chromiumPath),
    isRoot: () => process.getuid?.() === 0,
    hasAptGet: () => ['/usr/bin/apt-get', '/bin/apt-get'].some(isExecutable),
  };
}

/** Acts on the decision; returns the exit code. */
export function ensureChromium(
  probes: MachineProbes,
  chromiumPath: string,
  runShell: (command: string) => number,
  print: (line: string) => void,
): number {
  const decision = decideChromium(probes, chromiumPath);
  if (decision.kind === 'present') return 0;
  if (decision.kind === 'refuse') {
    print(decision.message);
    return 1;
  }
  print(
    `ensure-chromium: ${chromiumPath} is missing; installing it for the browser tests: ${decision.command}`,
  );
  const status = runShell(decision.command);
  if (status !== 0 || !probes.isChromiumInstalled()) {
    print(`ensure-chromium: the install failed (exit ${status}); run as root: ${decision.command}`);
    return 1;
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // The same default as test/support/browser.ts, so both look at one binary.
  const chromiumPath = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  const runShell = (command: string) =>
    spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] }).status ?? 1;
  process.exitCode = ensureChromium(realProbes(chromiumPath), chromiumPath, runShell, (line) =>
    console.error(line),
  );
}
