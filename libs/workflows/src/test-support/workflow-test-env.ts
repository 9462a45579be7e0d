import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';

/**
 * A real Temporal dev server (the binary tools/vitest/temporal-global-setup.ts provides) and this
 * library's workflows bundled once, for the specs that run workflows against in-memory
 * activities. The caller tears `env` down.
 */
export async function startWorkflowTestEnv(): Promise<{
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
}> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: inject('temporalBin') } },
  });
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../index.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
  });
  return { env, bundle };
}

/** How long starting the dev server and bundling may take on a loaded 2-core machine. */
export const WORKFLOW_TEST_ENV_TIMEOUT_MS = 180_000;
