import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real engines (mock Kafka cluster, chDB) and wait on
    // consumer-group rebalances, which take seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Child processes per test file: the mock broker helper and chDB's native
    // addon are safer in their own process than in shared worker threads.
    pool: 'forks',
  },
});
