import type { Db } from '../client';
import { createBaseModelRepository, type BaseModelRepository } from './base-model-repository';
import { createMetricRepository, type MetricRepository } from './metric-repository';
import { createSweepRepository, type SweepRepository } from './sweep-repository';
import { createTrialRepository, type TrialRepository } from './trial-repository';
import { createScheduleRepository, type ScheduleRepository } from './schedule-repository';
import { createRetrainRunRepository, type RetrainRunRepository } from './retrain-run-repository';
import {
  createDatasetSnapshotRepository,
  type DatasetSnapshotRepository,
} from './dataset-snapshot-repository';
import {
  createModelVersionRepository,
  type ModelVersionRepository,
} from './model-version-repository';
import { createUserRepository, type UserRepository } from './user-repository';
import { createSessionRepository, type SessionRepository } from './session-repository';
import { createApiTokenRepository, type ApiTokenRepository } from './api-token-repository';
import { createWarmStartRepository, type WarmStartRepository } from './warm-start-repository';
import { createTrialLogRepository, type TrialLogRepository } from './trial-log-repository';
import { createTrainerRepository, type TrainerRepository } from './trainer-repository';
import { createAuditRepository, type AuditRepository } from './audit-repository';
import {
  createPromotionGrantRepository,
  type PromotionGrantRepository,
} from './promotion-grant-repository';
import {
  createSignInFailureRepository,
  type SignInFailureRepository,
} from './sign-in-failure-repository';

export interface Repositories {
  sweeps: SweepRepository;
  trials: TrialRepository;
  metrics: MetricRepository;
  baseModels: BaseModelRepository;
  schedules: ScheduleRepository;
  retrainRuns: RetrainRunRepository;
  datasetSnapshots: DatasetSnapshotRepository;
  modelVersions: ModelVersionRepository;
  users: UserRepository;
  sessions: SessionRepository;
  apiTokens: ApiTokenRepository;
  trialLogs: TrialLogRepository;
  warmStart: WarmStartRepository;
  trainers: TrainerRepository;
  audit: AuditRepository;
  promotionGrants: PromotionGrantRepository;
  signInFailures: SignInFailureRepository;
}

export function createRepositories(db: Db): Repositories {
  return {
    sweeps: createSweepRepository(db),
    trials: createTrialRepository(db),
    metrics: createMetricRepository(db),
    baseModels: createBaseModelRepository(db),
    schedules: createScheduleRepository(db),
    retrainRuns: createRetrainRunRepository(db),
    datasetSnapshots: createDatasetSnapshotRepository(db),
    modelVersions: createModelVersionRepository(db),
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    apiTokens: createApiTokenRepository(db),
    trialLogs: createTrialLogRepository(db),
    warmStart: createWarmStartRepository(db),
    trainers: createTrainerRepository(db),
    audit: createAuditRepository(db),
    promotionGrants: createPromotionGrantRepository(db),
    signInFailures: createSignInFailureRepository(db),
  };
}

export type { SweepRepository, SweepFinishInput } from './sweep-repository';
export type { TrialRepository, TrialDetailView } from './trial-repository';
export type { WarmStartRepository, PriorTrial, WarmStartQuery } from './warm-start-repository';
export type { TrialLogRepository, TrialLogLine } from './trial-log-repository';
export {
  type MetricRepository,
  type MetricPointInput,
  type TrialCurve,
  type TrialMetricPoint,
} from './metric-repository';
export { BaseModelExistsError, type BaseModelRepository } from './base-model-repository';
export { TrainerExistsError, type TrainerRepository, type TrainerView } from './trainer-repository';
export type {
  AuditRepository,
  AuditEventInput,
  AuditEventView,
  AuditOutcome,
} from './audit-repository';
export {
  USER_ROLES,
  UserExistsError,
  type UserRepository,
  type UserRole,
  type UserView,
} from './user-repository';
export type { SessionRepository } from './session-repository';
export type { PromotionGrantRepository, PromotionGrantView } from './promotion-grant-repository';
export type { SignInFailureEntry, SignInFailureRepository } from './sign-in-failure-repository';
export type { ApiTokenRepository, ApiTokenScope, ApiTokenView } from './api-token-repository';
export { scheduleColumns, type ScheduleRepository } from './schedule-repository';
export type { RetrainRunRepository, RetrainRunFinish } from './retrain-run-repository';
export type { DatasetSnapshotRepository } from './dataset-snapshot-repository';
export type { ModelVersionRepository, ModelVersionInput } from './model-version-repository';
export * from './sweep-trial-page';
