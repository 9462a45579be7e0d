export { appRouter, createCaller, type AppRouter } from './root';
export { createTRPCContext, type TRPCContext, type SessionUser } from './trpc';
export {
  connectTemporal,
  createTemporalSweepGateway,
  type SweepGateway,
} from './temporal/sweep-gateway';
export type { DomainDeps } from './domain/deps';
export { launchSweep, newSweepId } from './domain/launch-sweep';
export { cancelSweep } from './domain/cancel-sweep';
export { controlSweep, type SweepAction } from './domain/control-sweep';
export { getSweep, getTrialMetrics, listSweeps } from './domain/sweep-queries';
export { ConflictError, InvalidInputError, NotFoundError, UpstreamError } from './domain/errors';
