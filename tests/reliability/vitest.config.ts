import { retuneVitestConfig, withTemporal } from '../../vitest.shared';

export default retuneVitestConfig({
  ...withTemporal,
  // The specs mostly wait on child processes and timers: run them side by side, so the
  // whole project stays within a few minutes even on two cores.
  maxWorkers: 4,
});
