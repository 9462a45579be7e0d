import { retuneVitestConfig } from '../../vitest.shared';

export default retuneVitestConfig({
  testTimeout: 120_000,
  // tfjs-node holds one native runtime per process; keep specs in separate forks.
  pool: 'forks',
});
