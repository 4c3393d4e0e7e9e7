import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoCredentials } from './app/seed-demo.js';

/**
 * Keys and passwords are stored hashed, so the only copy of the demo's is this file beside
 * the embedded database (never committed, readable by its owner only): `npm start` prints it.
 */
export function demoCredentialsPath(dataDir: string): string {
  return join(dataDir, 'demo-credentials.json');
}

export function saveDemoCredentials(dataDir: string, credentials: DemoCredentials): void {
  mkdirSync(dataDir, { recursive: true });
  const path = demoCredentialsPath(dataDir);
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function loadDemoCredentials(dataDir: string): DemoCredentials | undefined {
  const path = demoCredentialsPath(dataDir);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as DemoCredentials;
}
