import { z } from 'zod';
import type { Params } from '../spec/search-space';

const paramValue = z.union([z.string(), z.number(), z.boolean()]);

/** What a pbt trial (one member, one interval) records about where it came from. */
export const pbtSegmentSchema = z.object({
  member: z.number().int().min(0),
  generation: z.number().int().min(0),
  startEpoch: z.number().int().min(0),
  endEpoch: z.number().int().min(1),
  /** The trial number it continued from (its own member's, or the copied one's); null at first. */
  parent: z.number().int().nullable(),
  /** Set when the member copied another member's checkpoint and params at this boundary. */
  copiedFrom: z.number().int().min(0).optional(),
  changes: z
    .record(z.string(), z.object({ from: paramValue, to: paramValue, how: z.string() }))
    .optional(),
});
export type PbtSegment = z.infer<typeof pbtSegmentSchema>;

export interface PbtTrialRow {
  number: number;
  status: string;
  objective: number | null;
  params: Params;
  pbt: PbtSegment;
}

/** One exploit: `member` dropped its own line and continued from `copiedFrom`'s checkpoint. */
export interface PbtExploit {
  generation: number;
  epoch: number;
  member: number;
  copiedFrom: number;
  fromTrial: number;
  toTrial: number;
  changes: NonNullable<PbtSegment['changes']>;
}

/** The intervals a final member's weights went through, first to last. */
export interface PbtSchedule {
  member: number;
  finalTrial: number;
  objective: number | null;
  steps: { trial: number; member: number; startEpoch: number; endEpoch: number; params: Params }[];
}

/** One trial of the tree: a member's interval, and the trial its weights came from. */
export interface PbtNode {
  trial: number;
  member: number;
  generation: number;
  parent: number | null;
  copied: boolean;
  status: string;
  objective: number | null;
}

export interface PbtFamily {
  generations: number;
  nodes: PbtNode[];
  exploits: PbtExploit[];
  schedules: PbtSchedule[];
}

/** The family tree of a pbt sweep from its trials: who copied whom, and each final schedule. */
export function pbtFamily(trials: readonly PbtTrialRow[]): PbtFamily {
  const byNumber = new Map(trials.map((t) => [t.number, t]));
  const generations = trials.reduce((g, t) => Math.max(g, t.pbt.generation + 1), 0);
  const exploits: PbtExploit[] = trials
    .filter((t) => t.pbt.copiedFrom !== undefined && t.pbt.parent !== null)
    .map((t) => ({
      generation: t.pbt.generation,
      epoch: t.pbt.startEpoch,
      member: t.pbt.member,
      copiedFrom: t.pbt.copiedFrom!,
      fromTrial: t.pbt.parent!,
      toTrial: t.number,
      changes: t.pbt.changes ?? {},
    }))
    .sort((a, b) => a.toTrial - b.toTrial);
  const finals = trials
    .filter((t) => t.pbt.generation === generations - 1)
    .sort((a, b) => a.pbt.member - b.pbt.member);
  const schedules = finals.map((last) => {
    const steps: PbtSchedule['steps'] = [];
    for (let t: PbtTrialRow | undefined = last; t;) {
      const { member, startEpoch, endEpoch } = t.pbt;
      steps.unshift({ trial: t.number, member, startEpoch, endEpoch, params: t.params });
      // Guard against a malformed row pointing at itself or forward.
      const parent: number | null = t.pbt.parent;
      t = parent !== null && parent < t.number ? byNumber.get(parent) : undefined;
    }
    return { member: last.pbt.member, finalTrial: last.number, objective: last.objective, steps };
  });
  const nodes = trials.map((t) => ({
    trial: t.number,
    member: t.pbt.member,
    generation: t.pbt.generation,
    parent: t.pbt.parent,
    copied: t.pbt.copiedFrom !== undefined,
    status: t.status,
    objective: t.objective,
  }));
  return { generations, nodes, exploits, schedules };
}

/** The params that differ between consecutive steps of a schedule, as "lr 0.1→0.08" pieces. */
export function scheduleChanges(schedule: PbtSchedule, names?: readonly string[]): string[][] {
  return schedule.steps.map((step, i) => {
    const prev = schedule.steps[i - 1];
    const keys = names ?? Object.keys(step.params).sort();
    return keys
      .filter((k) => !prev || prev.params[k] !== step.params[k])
      .map((k) => `${k}=${formatParam(step.params[k])}`);
  });
}

const formatParam = (v: unknown) =>
  typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)).toString() : String(v);
