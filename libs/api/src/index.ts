export { appRouter, createCaller, type AppRouter } from './root';
export { createTRPCContext, type TRPCContext, type SessionUser } from './trpc';
export {
  connectTemporal,
  createLazyTemporalSweepGateway,
  createTemporalSweepGateway,
  type LazySweepGateway,
  type SweepGateway,
  type SweepSignal,
  type TemporalOptions,
} from './temporal/sweep-gateway';
export type { DomainDeps } from './domain/deps';
export { launchSweep, newSweepId, validateSweepSpec } from './domain/launch-sweep';
export { cancelSweep } from './domain/cancel-sweep';
export { controlSweep, type SweepAction } from './domain/control-sweep';
export { getSweep, getTrialMetrics, listSweeps } from './domain/sweep-queries';
export {
  getParamImportance,
  paramImportanceOf,
  type ParamImportance,
} from './domain/param-importance';
export {
  ConflictError,
  DomainError,
  domainErrorKind,
  InvalidInputError,
  NotFoundError,
  UpstreamError,
  type DomainErrorKind,
} from './domain/errors';
