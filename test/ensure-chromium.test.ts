import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHROMIUM_PATH,
  decideChromium,
  ensureChromium,
  INSTALL_COMMAND,
  type MachineProbes,
} from '../scripts/ensure-chromium.js';

const PATH = DEFAULT_CHROMIUM_PATH;

function machine(state: { installed: boolean; root: boolean; apt: boolean }): MachineProbes {
  return {
    isChromiumInstalled: () => state.installed,
    isRoot: () => state.root,
    hasAptGet: () => state.apt,
  };
}

describe('ensure-chromium', () => {
  it('does nothing when Chromium is there, whoever runs it', () => {
    for (const root of [true, false]) {
      expect(decideChromium(machine({ installed: true, root, apt: false }), PATH)).toEqual({
        kind: 'present',
      });
    }
  });

  it('installs with apt-get as root, printing one line, and succeeds once the binary is there', () => {
    const state = { installed: false, root: true, apt: true };
    const lines: string[] = [];
    const commands: string[] = [];
    const code = ensureChromium(
      machine(state),
      PATH,
      (command) => {
        commands.push(command);
        state.installed = true;
        return 0;
      },
      (line) => lines.push(line),
    );
    expect(code).toBe(0);
    expect(commands).toEqual([INSTALL_COMMAND]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('installing');
  });

  it('fails when apt-get fails or leaves no binary', () => {
    for (const outcome of [{ status: 100 }, { status: 0 }]) {
      const lines: string[] = [];
      const code = ensureChromium(
        machine({ installed: false, root: true, apt: true }),
        PATH,
        () => outcome.status,
        (line) => lines.push(line),
      );
      expect(code).toBe(1);
      expect(lines.at(-1)).toContain('install failed');
    }
  });

  it('stops at once with the command to run when not root or without apt-get', () => {
    const cases = [
      { root: false, apt: true, says: `sudo sh -c '${INSTALL_COMMAND}'` },
      { root: true, apt: false, says: 'package manager' },
      { root: false, apt: false, says: 'package manager' },
    ];
    for (const { root, apt, says } of cases) {
      const lines: string[] = [];
      const run = () => {
        throw new Error('must not run anything');
      };
      const code = ensureChromium(machine({ installed: false, root, apt }), PATH, run, (l) => lines.push(l));
      expect(code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(says);
    }
  });
});
