import { defineConfig } from 'vitest/config';

/**
 * Test projects, split by where they run:
 * - unit: pure logic next to the code (`*.test.ts` under src), no services.
 * - integration: `bff/test/**` against real PostgreSQL and Redis, a database per test file.
 * - miniapp: component and hook tests in happy-dom (its own config, Taro aliases).
 * - e2e: Playwright on the built H5 app in Debian chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'bff/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['bff/test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['bff/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      'miniapp/vitest.config.*',
      {
        test: {
          name: 'e2e',
          include: ['miniapp/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['bff/test/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
