import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic (optimizer, pricing, calendars) and runs in parallel with no
// services; `integration` gets one real PostgreSQL and one real Temporal dev server per run,
// started by the global setup and shared by every file.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'data/**', '.cache/**'],
          pool: 'forks',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', 'data/**', '.cache/**'],
          pool: 'forks',
          globalSetup: ['./scripts/test-global-setup.ts'],
          setupFiles: ['./scripts/testing/response-check.setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
