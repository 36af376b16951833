import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'bicep/**/*.test.ts',
      'teams-app/scripts/**/*.test.ts',
      'outlook-addin/scripts/**/*.test.ts',
      '{shared,functions,local,teams-app,outlook-addin}/src/**/*.test.{ts,tsx}',
      'tests/**/*.test.ts',
    ],
    testTimeout: 60_000,
    // Browser and end-to-end checks poll a busy 2-core machine: give them time before calling it a failure.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
