import { configDefaults, defineConfig } from 'vitest/config';
import SlowestFirst from './test/support/slowest-first.js';

/**
 * Tests that need no database, server, browser or child process: the domain, the pure parts of
 * the use cases and of the web. `npm run test:quick` runs only these.
 */
const UNIT_TESTS = [
  'src/**/*.test.ts',
  'test/admin-refusals.test.ts',
  'test/architecture.test.ts',
  'test/ensure-chromium.test.ts',
  'test/exact-json.test.ts',
  'test/function-length.test.ts',
  'test/money-property.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own databases (a temporary SQLite file, a PostgreSQL database), so
    // files can run in parallel. Four at once on the two cores: much of a file's time is spent
    // waiting on PostgreSQL, child processes and Chromium (vitest's default would be one); with
    // four the cores are busy 97% of the run (4 m 35 s against 4 m 56 s with three, quiet machine).
    pool: 'forks',
    maxWorkers: 4,
    // Password hashes at argon2's lowest cost in every test process (see the file).
    setupFiles: ['test/support/setup.ts'],
    sequence: { sequencer: SlowestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT_TESTS, isolate: false } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT_TESTS],
          // A test process runs its files one after another in one module graph: each file
          // importing the server, Kysely, pg and Stripe afresh cost seconds of a loaded core.
          // Files share no state but the modules: each has its own databases and servers.
          isolate: false,
        },
      },
    ],
  },
});
