import { defineConfig } from 'vitest/config';

// Two projects: `unit` (npm test) and `e2e` (the whole stack in a real browser, minutes; run with
// `npx nx e2e @retune/dashboard` or `npm run e2e -w @retune/dashboard`).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.spec.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
