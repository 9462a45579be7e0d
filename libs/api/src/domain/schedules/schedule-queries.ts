import { metricDelta, type RetrainRunView, type RetrainScheduleView } from '@retune/core';
import { findSchedule } from './find-schedule';
import type { ScheduleDeps } from './schedule-deps';

export interface RetrainRunSummary extends RetrainRunView {
  /** Candidate minus champion, signed so that positive is better (null when either is missing). */
  delta: number | null;
}

export interface ScheduleOverview extends RetrainScheduleView {
  nextRunTimes: string[];
  /** Null when Temporal could not be asked (down, or the schedule is missing there). */
  temporal: { paused: boolean; running: number } | null;
  runs: RetrainRunSummary[];
}

function withDelta(s: RetrainScheduleView, run: RetrainRunView): RetrainRunSummary {
  const goal =
    (s.spec as { metric?: { goal?: string } }).metric?.goal === 'minimize'
      ? 'minimize'
      : 'maximize';
  return { ...run, delta: metricDelta(run.candidateMetric, run.championMetric, goal) };
}

async function overview(
  deps: ScheduleDeps,
  s: RetrainScheduleView,
  runLimit: number,
): Promise<ScheduleOverview> {
  // Reads must not fail when Temporal is down: the page shows what the DB knows.
  const state = await deps.schedules.describe(s.temporalScheduleId).catch(() => null);
  const runs = await deps.repos.retrainRuns.listBySchedule(s.id, runLimit);
  return {
    ...s,
    nextRunTimes: state?.nextRunTimes ?? [],
    temporal: state ? { paused: state.paused, running: state.running } : null,
    runs: runs.map((r) => withDelta(s, r)),
  };
}

export async function listSchedules(deps: ScheduleDeps, runLimit = 5): Promise<ScheduleOverview[]> {
  const all = await deps.repos.schedules.list();
  return Promise.all(all.map((s) => overview(deps, s, runLimit)));
}

export async function getSchedule(
  deps: ScheduleDeps,
  ref: string,
  runLimit = 50,
): Promise<ScheduleOverview> {
  return overview(deps, await findSchedule(deps.repos, ref), runLimit);
}
