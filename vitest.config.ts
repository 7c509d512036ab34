import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing outside the process; `integration` gets one real
// AD DC for the whole run (test/harness/global-setup.ts) and the HTTPS Graph simulator.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
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
