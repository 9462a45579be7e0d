import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/**
 * What every package's unit tests share: specs beside the code under src/, a run that finds
 * none fails, and timeouts generous enough for CI's two shared cores. Each package's
 * vitest.config.ts passes only what differs.
 */
export const sharedTestOptions = {
  include: ['src/**/*.spec.ts'],
  passWithNoTests: false,
  testTimeout: 60_000,
  hookTimeout: 120_000,
} satisfies TestOptions;

/** For specs that need the Temporal dev server: started once per run, shared by every spec. */
export const withTemporal = {
  globalSetup: [fileURLToPath(new URL('./tools/vitest/temporal-global-setup.ts', import.meta.url))],
  hookTimeout: 180_000,
} satisfies TestOptions;

export function retuneVitestConfig(test: TestOptions = {}) {
  return defineConfig({ test: { ...sharedTestOptions, ...test } });
}
