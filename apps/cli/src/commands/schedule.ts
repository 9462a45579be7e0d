import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  setSchedulePaused,
  triggerSchedule,
  updateSchedule,
  validateScheduleSpec,
  type ScheduleDeps,
  type ScheduleOverview,
} from '@retune/api';
import { formatDelta, formatScheduleTiming } from '@retune/core';
import { renderTable } from '../render/table';
import { readYamlFile } from './yaml-file';
import type { CliContext } from './context';
import { audited } from './local-audit';

const deps = (ctx: CliContext): ScheduleDeps => ({ repos: ctx.repos, schedules: ctx.schedules });

/** The latest run as "kept −0.012" / "promoted +0.03" / "skipped". */
export function lastOutcome(s: Pick<ScheduleOverview, 'runs'>): string | null {
  const run = s.runs[0];
  if (!run) return null;
  if (run.delta === null) return run.status;
  return `${run.status} ${formatDelta(run.delta)}`;
}

export function renderSchedules(schedules: ScheduleOverview[]): string {
  return renderTable(
    ['name', 'task', 'timing', 'policy', 'overlap', 'state', 'next run', 'last run'],
    schedules.map((s) => [
      s.name,
      s.task,
      formatScheduleTiming(s),
      s.policy,
      s.overlapPolicy,
      s.paused ? 'paused' : 'active',
      s.nextRunTimes[0] ?? null,
      lastOutcome(s),
    ]),
  );
}

export async function createScheduleCommand(ctx: CliContext, file: string): Promise<number> {
  const input = readYamlFile(file);
  validateScheduleSpec(input); // field errors before touching the DB or Temporal
  const s = await audited(
    ctx.repos,
    'schedule.create',
    (r) => r.id,
    () => createSchedule(deps(ctx), input),
  );
  console.log(
    `created schedule ${s.name} (${s.id}): ${formatScheduleTiming(s)}, Temporal schedule ${s.temporalScheduleId}`,
  );
  return 0;
}

export async function updateScheduleCommand(
  ctx: CliContext,
  ref: string,
  file: string,
): Promise<number> {
  const s = await audited(ctx.repos, 'schedule.update', ref, () =>
    updateSchedule(deps(ctx), ref, readYamlFile(file)),
  );
  console.log(`updated schedule ${s.name}: ${formatScheduleTiming(s)}`);
  return 0;
}

export async function listSchedulesCommand(ctx: CliContext): Promise<number> {
  const all = await listSchedules(deps(ctx));
  console.log(
    all.length === 0
      ? 'no schedules yet: retune schedule create <schedule.yaml>'
      : renderSchedules(all),
  );
  return 0;
}

export async function pauseScheduleCommand(
  ctx: CliContext,
  ref: string,
  paused: boolean,
): Promise<number> {
  const s = await audited(ctx.repos, paused ? 'schedule.pause' : 'schedule.resume', ref, () =>
    setSchedulePaused(deps(ctx), ref, paused),
  );
  console.log(`schedule ${s.name} ${paused ? 'paused' : 'resumed'}`);
  return 0;
}

export async function deleteScheduleCommand(ctx: CliContext, ref: string): Promise<number> {
  const { id } = await audited(ctx.repos, 'schedule.remove', ref, () =>
    deleteSchedule(deps(ctx), ref),
  );
  console.log(`deleted schedule ${id} and its run history (model versions are kept)`);
  return 0;
}

export async function triggerScheduleCommand(
  ctx: CliContext,
  ref: string,
  opts: { force: boolean },
): Promise<number> {
  const r = await audited(ctx.repos, 'schedule.trigger', ref, () =>
    triggerSchedule(deps(ctx), ref, opts.force),
  );
  console.log(
    r.workflowId
      ? `started a forced retrain run: workflow ${r.workflowId}`
      : `triggered schedule ${ref}; the run follows its overlap policy`,
  );
  return 0;
}
