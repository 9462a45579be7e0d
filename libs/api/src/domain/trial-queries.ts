import { deviceFactsSchema, trialViewSchema } from '@retune/core';
import type { TrialDetailView, TrialLogLine } from '@retune/db';
import { z } from 'zod';
import type { DomainDeps } from './deps';
import { NotFoundError } from './errors';

export const trialDetailSchema = trialViewSchema.extend({
  sweepId: z.string(),
  sweepName: z.string(),
  dataset: z.string(),
  metricName: z.string(),
  metricGoal: z.enum(['maximize', 'minimize']),
  artifact: z.string().nullable(),
  device: deviceFactsSchema.nullable(),
});
export type TrialDetail = z.infer<typeof trialDetailSchema>;

export const trialLogLineSchema = z.object({
  id: z.number().int(),
  stream: z.string(),
  line: z.string(),
  createdAt: z.string(),
});

/** The trial with its sweep's name and objective, for a page about the trial alone. */
export async function getTrial(
  deps: Pick<DomainDeps, 'repos'>,
  trialId: string,
): Promise<TrialDetailView> {
  const trial = await deps.repos.trials.detail(trialId);
  if (!trial) throw new NotFoundError(`trial ${trialId}`);
  return trial;
}

/** The trainer's last log lines; an unknown trial is not-found rather than an empty log. */
export async function getTrialLogs(
  deps: Pick<DomainDeps, 'repos'>,
  trialId: string,
  limit: number,
): Promise<TrialLogLine[]> {
  if (!(await deps.repos.trials.get(trialId))) throw new NotFoundError(`trial ${trialId}`);
  return deps.repos.trialLogs.forTrial(trialId, limit);
}
