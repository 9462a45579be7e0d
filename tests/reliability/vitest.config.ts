import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    globalSetup: ['../../tools/vitest/temporal-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // The specs mostly wait on child processes and timers: run them side by side, so the
    // whole project stays within a few minutes even on two cores.
    maxWorkers: 4,
  },
});
