import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database (a temporary SQLite file or a PostgreSQL schema),
    // so files can run in parallel on the two cores.
    pool: 'forks',
    // Password hashes at argon2's lowest cost in every test process (see the file).
    setupFiles: ['test/support/setup.ts'],
  },
});
