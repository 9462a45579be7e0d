import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    globalSetup: ['../../tools/vitest/temporal-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
