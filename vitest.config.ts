import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing outside the process; `browser` needs chromium; `integration` gets one real
// AD DC for the whole run (test/harness/global-setup.ts) and the HTTPS Graph simulator.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Property tests and the 100,000-user plan are CPU-bound: on a loaded 2-core CI machine they
          // outlast vitest's 5 s default. A timeout is not a speed assertion (speed is `npm run bench`'s).
          testTimeout: 60_000,
        },
      },
      {
        // plan.html / report.html in Debian's chromium (playwright-core), headless.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One DC serialises writes anyway; files in parallel only fight over it.
          fileParallelism: false,
        },
      },
    ],
  },
});
