import type { Repositories } from '@retune/db';
import type { ScheduleGateway } from '../../temporal/schedule-gateway';
import { UpstreamError } from '../errors';

export interface ScheduleDeps {
  repos: Pick<Repositories, 'schedules' | 'retrainRuns'>;
  schedules: ScheduleGateway;
}

/** The schedule deps of a request context; a context without a gateway cannot manage schedules. */
export function scheduleDepsOf(ctx: {
  repos: ScheduleDeps['repos'];
  schedules?: ScheduleGateway | undefined;
}): ScheduleDeps {
  if (!ctx.schedules) {
    throw new UpstreamError('no Temporal schedule gateway is configured for this server');
  }
  return { repos: ctx.repos, schedules: ctx.schedules };
}

/** Wraps a Temporal failure as an UpstreamError that names the operation. */
export async function upstream<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    throw new UpstreamError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
