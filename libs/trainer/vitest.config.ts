import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    passWithNoTests: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs-node holds one native runtime per process; keep specs in separate forks.
    pool: 'forks',
  },
});
