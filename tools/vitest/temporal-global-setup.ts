import type { TestProject } from 'vitest/node';
import { ensureTemporal } from '../lib/temporal-cli';

/**
 * Vitest global setup for projects whose tests start a Temporal dev server: finds (or installs)
 * the CLI once and hands its path to the tests as `inject('temporalBin')`.
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('temporalBin', await ensureTemporal((m) => console.log(`[temporal] ${m}`)));
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalBin: string;
  }
}
