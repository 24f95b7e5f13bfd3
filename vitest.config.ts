import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // expect.poll waits for what the page shows; vitest's 1 s default is a wall-clock limit
          // a busy machine misses. The test's own timeout still bounds a poll that never succeeds.
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
});
