import {
  deviceFactsSchema,
  pbtSegmentSchema,
  type DeviceFacts,
  type PbtPlacement,
  type PbtSegment,
  type PbtTrialRow,
  type PlannedTrial,
  type TrialOutcome,
  type TrialView,
} from '@retune/core';
import type { Db } from '../client';
import { RowNotFoundError, rethrowNotFound } from '../errors';
import { toTrialView, trialViewSelect } from './mappers';

const CHUNK = 500;

/** What a pbt trial stores about its place in the population (not how its trainer starts). */
const pbtSegmentOf = ({ resumeFrom: _r, seedTrial: _s, ...segment }: PbtPlacement): PbtSegment =>
  segment;

/** A trial with the sweep facts a page about the trial alone needs. */
export interface TrialDetailView extends TrialView {
  sweepId: string;
  sweepName: string;
  /** The sweep's dataset (a registered model's default task). */
  dataset: string;
  metricName: string;
  metricGoal: 'maximize' | 'minimize';
  /** Checkpoint or artifact path the trainer reported. */
  artifact: string | null;
  /** What the trainer reported it ran on; null before it did (or for older trainers). */
  device: DeviceFacts | null;
}

const trialDetailSelect = {
  ...trialViewSelect,
  artifact: true,
  device: true,
  sweepId: true,
  sweep: { select: { name: true, dataset: true, metricName: true, metricGoal: true } },
} as const;

function toTrialDetail(
  row: {
    artifact: string | null;
    device: unknown;
    sweepId: string;
    sweep: { name: string; dataset: string; metricName: string; metricGoal: string };
  } & Parameters<typeof toTrialView>[0],
): TrialDetailView {
  return {
    ...toTrialView(row),
    sweepId: row.sweepId,
    sweepName: row.sweep.name,
    dataset: row.sweep.dataset,
    metricName: row.sweep.metricName,
    metricGoal: row.sweep.metricGoal === 'minimize' ? 'minimize' : 'maximize',
    artifact: row.artifact,
    device: deviceFactsSchema.safeParse(row.device).data ?? null,
  };
}

export function createTrialRepository(db: Db) {
  return {
    /** Creates the planned trials as pending; existing ones (a retry) are left untouched. */
    async ensure(sweepId: string, trials: PlannedTrial[]): Promise<void> {
      for (let i = 0; i < trials.length; i += CHUNK) {
        const chunk = trials.slice(i, i + CHUNK);
        const existing = await db.trial.findMany({
          where: { sweepId, number: { in: chunk.map((t) => t.number) } },
          select: { number: true },
        });
        const have = new Set(existing.map((t) => t.number));
        const missing = chunk.filter((t) => !have.has(t.number));
        if (missing.length === 0) continue;
        const rows = missing.map((t) => ({
          id: t.trialId,
          sweepId,
          number: t.number,
          params: t.params,
          status: 'pending',
          ...(t.pbt ? { pbt: pbtSegmentOf(t.pbt) } : {}),
        }));
        try {
          await db.trial.createMany({ data: rows });
        } catch (err) {
          // A concurrent retry inserted some of them first: create the rest one by one.
          if ((err as { code?: string }).code !== 'P2002') throw err;
          for (const row of rows) {
            await db.trial.upsert({
              where: { id: row.id },
              create: row,
              update: {},
              select: { id: true },
            });
          }
        }
      }
    },

    /**
     * Idempotent: keeps the first start time and the highest attempt. A trial whose outcome is
     * already recorded is left alone (a late retry attempt must not revive it).
     */
    /** Records what the trial's trainer runs on (its `device` log line). */
    async setDevice(trialId: string, device: DeviceFacts): Promise<void> {
      await db.trial
        .update({ where: { id: trialId }, data: { device }, select: { id: true } })
        .catch((e) => rethrowNotFound(e, 'trial', trialId));
    },

    async markRunning(
      trialId: string,
      info: { worker: string; slot: number | null; attempt: number },
    ): Promise<void> {
      const trial = await db.trial.findUnique({
        where: { id: trialId },
        select: { startedAt: true, attempts: true, finishedAt: true },
      });
      if (!trial) throw new RowNotFoundError('trial', trialId);
      if (trial.finishedAt) return;
      await db.trial.update({
        where: { id: trialId },
        data: {
          status: 'running',
          worker: info.worker,
          slot: info.slot,
          attempts: Math.max(trial.attempts, info.attempt),
          startedAt: trial.startedAt ?? new Date(),
          // A new attempt has not ended: clears markAttemptEnded's marker of an earlier one.
          gpuSeconds: null,
        },
        select: { id: true },
      });
    },

    /**
     * Marks that the trial's attempt has left its slot (pipelined slots: its lane's successor
     * may start) before the workflow records the outcome: its slot time goes in gpuSeconds
     * while the status stays running. A trial already finished is left alone.
     */
    async markAttemptEnded(trialId: string, gpuSeconds: number): Promise<void> {
      await db.trial.updateMany({
        where: { id: trialId, status: 'running', finishedAt: null },
        data: { gpuSeconds },
      });
    },

    /**
     * Where the trial's attempts stand: `ended` when nothing of it trains any more (its outcome
     * is recorded, or its attempt marked itself ended: markAttemptEnded), `pending` when no
     * attempt has started yet, else `running`.
     */
    async attemptState(trialId: string): Promise<'pending' | 'running' | 'ended'> {
      const trial = await db.trial.findUnique({
        where: { id: trialId },
        select: { status: true, gpuSeconds: true },
      });
      if (!trial) throw new RowNotFoundError('trial', trialId);
      if (trial.status === 'pending') return 'pending';
      return trial.status !== 'running' || trial.gpuSeconds !== null ? 'ended' : 'running';
    },

    /** Records the final outcome; a retried call writes the same values again. */
    async finish(trialId: string, outcome: TrialOutcome): Promise<{ sweepId: string }> {
      const trial = await db.trial.findUnique({
        where: { id: trialId },
        select: { finishedAt: true, sweepId: true },
      });
      if (!trial) throw new RowNotFoundError('trial', trialId);
      await db.trial
        .update({
          where: { id: trialId },
          data: {
            status: outcome.status,
            objective: outcome.objective,
            values: outcome.values,
            error: outcome.error ?? null,
            artifact: outcome.artifact ?? null,
            ...(outcome.gpuSeconds !== undefined ? { gpuSeconds: outcome.gpuSeconds } : {}),
            infeasible: outcome.infeasible === true,
            finishedAt: trial.finishedAt ?? new Date(),
          },
          select: { id: true },
        })
        .catch((e) => rethrowNotFound(e, 'trial', trialId));
      return { sweepId: trial.sweepId };
    },

    /** Puts a finished (failed) trial back to pending so the sweep can run it again. */
    async reopen(trialId: string): Promise<void> {
      await db.trial
        .update({
          where: { id: trialId },
          data: { status: 'pending', objective: null, error: null, finishedAt: null },
          select: { id: true },
        })
        .catch((e) => rethrowNotFound(e, 'trial', trialId));
    },

    /** Trials that never started are cancelled with their sweep. */
    async cancelPending(sweepId: string): Promise<number> {
      const { count } = await db.trial.updateMany({
        where: { sweepId, status: 'pending' },
        data: { status: 'cancelled', finishedAt: new Date() },
      });
      return count;
    },

    /**
     * A pbt sweep's trials with their place in the population (pbtFamily builds the tree);
     * ask only for pbt sweeps (every trial row is read).
     */
    async pbtTrials(sweepId: string): Promise<PbtTrialRow[]> {
      const rows = await db.trial.findMany({
        where: { sweepId },
        select: { number: true, status: true, objective: true, params: true, pbt: true },
        orderBy: { number: 'asc' },
      });
      return rows.flatMap((r) => {
        const pbt = pbtSegmentSchema.safeParse(r.pbt);
        return pbt.success
          ? [{ ...r, params: r.params as PbtTrialRow['params'], pbt: pbt.data }]
          : [];
      });
    },

    async get(trialId: string): Promise<TrialView | null> {
      const row = await db.trial.findUnique({ where: { id: trialId }, select: trialViewSelect });
      return row ? toTrialView(row) : null;
    },

    async detail(trialId: string): Promise<TrialDetailView | null> {
      const row = await db.trial.findUnique({ where: { id: trialId }, select: trialDetailSelect });
      return row ? toTrialDetail(row) : null;
    },

    /** Several trials, possibly of different sweeps, in the order asked for; unknown ids are left out. */
    async details(trialIds: string[]): Promise<TrialDetailView[]> {
      if (trialIds.length === 0) return [];
      const rows = await db.trial.findMany({
        where: { id: { in: trialIds } },
        select: trialDetailSelect,
      });
      const byId = new Map(rows.map((r) => [r.id, toTrialDetail(r)]));
      return trialIds.flatMap((id) => byId.get(id) ?? []);
    },
  };
}

export type TrialRepository = ReturnType<typeof createTrialRepository>;
