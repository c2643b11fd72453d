import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A rate-limited worker's backend pauses 10 s by default; tests ride out 429s in a fraction.
    env: { BATON_RATE_LIMIT_PAUSE: '200ms' },
  },
});
