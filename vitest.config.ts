import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A rate-limited worker's backend pauses 10 s by default; tests ride out 429s in a fraction.
    // A login shell killed mid-`pyenv rehash` (stop tests kill whole trees) leaves a lock that makes
    // every later login shell on a pyenv machine wait 60 s; 1 s is plenty for tests.
    env: { BATON_RATE_LIMIT_PAUSE: '200ms', PYENV_REHASH_TIMEOUT: '1' },
  },
});
