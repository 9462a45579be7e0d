import type { RetrainScheduleView } from '@retune/core';
import type { ScheduleDeps } from './schedule-deps';
import { NotFoundError } from '../errors';

/** A schedule by id or by name. */
export async function findSchedule(
  repos: ScheduleDeps['repos'],
  ref: string,
): Promise<RetrainScheduleView> {
  const s = (await repos.schedules.get(ref)) ?? (await repos.schedules.findByName(ref));
  if (!s) throw new NotFoundError(`schedule ${ref}`);
  return s;
}
