import { randomBytes } from 'node:crypto';
import {
  parseRetrainScheduleSpec,
  retrainTemporalScheduleId,
  SpecError,
  type RetrainScheduleSpec,
  type RetrainScheduleView,
} from '@retune/core';
import { scheduleColumns } from '@retune/db';
import { ConflictError, InvalidInputError } from '../errors';
import { findSchedule } from './find-schedule';
import { upstream, type ScheduleDeps } from './schedule-deps';

export function validateScheduleSpec(input: unknown): RetrainScheduleSpec {
  try {
    return parseRetrainScheduleSpec(input);
  } catch (err) {
    if (err instanceof SpecError) throw new InvalidInputError(err.message, err.issues);
    throw err;
  }
}

async function assertNameFree(deps: ScheduleDeps, name: string, exceptId?: string) {
  const other = await deps.repos.schedules.findByName(name);
  if (other && other.id !== exceptId) {
    throw new ConflictError(`a schedule named "${name}" already exists`);
  }
}

/** What the caller may schedule (checkScheduleAccess), checked before anything is stored. */
export type ScheduleGuard = (spec: RetrainScheduleSpec) => Promise<void>;

/** Stores the schedule, then creates its Temporal Schedule; a Temporal failure undoes the row. */
export async function createSchedule(
  deps: ScheduleDeps,
  input: unknown,
  guard?: ScheduleGuard,
): Promise<RetrainScheduleView> {
  const spec = validateScheduleSpec(input);
  await guard?.(spec);
  await assertNameFree(deps, spec.name);
  const id = `rs_${randomBytes(6).toString('hex')}`;
  const row = await deps.repos.schedules.create({
    id,
    temporalScheduleId: retrainTemporalScheduleId(id),
    spec,
  });
  try {
    await upstream('creating the Temporal schedule', () => deps.schedules.create(row));
  } catch (err) {
    await deps.repos.schedules.delete(id);
    throw err;
  }
  return row;
}

/** Replaces a schedule's settings: Temporal first, so a refused update leaves the row as it was. */
export async function updateSchedule(
  deps: ScheduleDeps,
  ref: string,
  input: unknown,
  guard?: ScheduleGuard,
): Promise<RetrainScheduleView> {
  const current = await findSchedule(deps.repos, ref);
  const parsed = validateScheduleSpec(input);
  await guard?.(parsed);
  // An edit that does not mention `paused` leaves the schedule paused or running as it was.
  const mentionsPaused = typeof input === 'object' && input !== null && 'paused' in input;
  const spec = { ...parsed, paused: mentionsPaused ? parsed.paused : current.paused };
  await assertNameFree(deps, spec.name, current.id);
  const next: RetrainScheduleView = {
    ...current,
    ...scheduleColumns(spec),
    spec: spec.spec as unknown as Record<string, unknown>,
  };
  await upstream('updating the Temporal schedule', () => deps.schedules.update(next));
  return deps.repos.schedules.update(current.id, spec);
}

export async function setSchedulePaused(
  deps: ScheduleDeps,
  ref: string,
  paused: boolean,
): Promise<RetrainScheduleView> {
  const s = await findSchedule(deps.repos, ref);
  await upstream(`${paused ? 'pausing' : 'resuming'} the Temporal schedule`, () =>
    paused
      ? deps.schedules.pause(s.temporalScheduleId)
      : deps.schedules.unpause(s.temporalScheduleId),
  );
  return deps.repos.schedules.setPaused(s.id, paused);
}

/** Deletes the Temporal Schedule, then the row and its run history. */
export async function deleteSchedule(deps: ScheduleDeps, ref: string): Promise<{ id: string }> {
  const s = await findSchedule(deps.repos, ref);
  await upstream('deleting the Temporal schedule', () =>
    deps.schedules.delete(s.temporalScheduleId),
  );
  await deps.repos.schedules.delete(s.id);
  return { id: s.id };
}

/** Runs a schedule now; `force` trains even when the dataset has not changed. */
export async function triggerSchedule(
  deps: ScheduleDeps,
  ref: string,
  force: boolean,
): Promise<{ id: string; workflowId: string | null }> {
  const s = await findSchedule(deps.repos, ref);
  const { workflowId } = await upstream('triggering the schedule', () =>
    deps.schedules.trigger(s, { force }),
  );
  return { id: s.id, workflowId };
}
