export { appRouter, createCaller, type AppRouter } from './root';
export {
  createTRPCContext,
  type TRPCContext,
  type SessionUser,
  type SessionCookiePort,
  type ProcedureMeta,
} from './trpc';
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
export { getParetoFront, paretoOf, type ParetoView } from './domain/pareto-front';
export { getPbtFamily, type PbtFamilyView } from './domain/pbt-family';
export {
  clearParamImportanceCache,
  getParamImportance,
  paramImportanceOf,
  type ParamImportance,
} from './domain/param-importance';
export {
  ConflictError,
  DomainError,
  ForbiddenError,
  TooManyAttemptsError,
  domainErrorKind,
  InvalidInputError,
  NotFoundError,
  UpstreamError,
  UnauthorizedError,
  type DomainErrorKind,
} from './domain/errors';
export { type TrialDetail } from './domain/trial-queries';
export { differingParams, MAX_COMPARE_TRIALS, type Comparison } from './domain/compare';
export { type SweepCurves } from './domain/curves';
export type { SweepFormOptions } from './domain/sweep-form-options';
export {
  authenticate,
  bearerToken,
  changePassword,
  sessionUserOf,
  setPassword,
  SESSION_TTL_MS,
  type Authenticated,
} from './domain/auth/sessions';
export {
  createUser,
  ensureAdmin,
  listUsers,
  MIN_PASSWORD_LENGTH,
  setUserRole,
  type AuthDeps,
} from './domain/auth/users';
export {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type Actor,
} from './domain/auth/api-tokens';
export {
  createLazyTemporalScheduleGateway,
  createTemporalScheduleGateway,
  type LazyScheduleGateway,
  type ScheduleGateway,
  type ScheduleState,
} from './temporal/schedule-gateway';
export * from './domain/schedules';
export * from './domain/models/model-queries';
export * from './domain/models/promotion-rights';
export { FakeSweepGateway } from './temporal/fake-sweep-gateway';
export { SignInThrottle } from './domain/auth/sign-in-throttle';
export {
  accessPolicyFromEnv,
  DATA_ROOTS_SETTING,
  type AccessPolicy,
} from './domain/access/access-policy';
export { checkDataPath } from './domain/access/data-paths';
export { checkFetchUrl } from './domain/access/fetch-urls';
export { checkScheduleAccess, checkSpecAccess } from './domain/access/check-spec-access';
export { checkTrainerAllowed, listTrainers, registerTrainer } from './domain/trainers/trainers';
export {
  listAudit,
  LOCAL_OPERATOR,
  recordAudit,
  type AuditActor,
  type AuditEntry,
} from './domain/audit/record-audit';
