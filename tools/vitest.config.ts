import { retuneVitestConfig } from '../vitest.shared';

export default retuneVitestConfig({
  include: ['**/*.spec.ts'],
  exclude: ['**/node_modules/**'],
  testTimeout: 120_000,
});
