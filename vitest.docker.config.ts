import { defineConfig } from 'vitest/config';

// The Docker lab DC test (test/docker): slow (it builds an image), needs Docker with
// host networking; run by `bash .ci/docker-lab`, not by `npm test`.
export default defineConfig({
  test: {
    include: ['test/docker/**/*.test.ts'],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
