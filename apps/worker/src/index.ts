// For in-process use (tests, benchmarks); the worker process itself starts from main.ts.
export { createRetuneWorkers, workflowsPath, type RetuneWorkersOptions } from './workers';
export { repoRoot } from './env';
export { createTrainerResolver } from './trainers';
export { samplerVenv, startSamplerWorker, type SamplerWorker } from './sampler-worker';
