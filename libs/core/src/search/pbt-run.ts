import type { Params } from '../spec/search-space';
import type { SweepSpec } from '../spec/sweep-spec';
import { pbtConfigOf, pbtEpochs } from '../spec/pbt-config';
import type { PbtPlacement, TrialOutcome } from '../orchestration/contracts';
import { pbtBoundaries, pbtExploitExplore, pbtInitialParams, type PbtChange } from './pbt';

/** One member between intervals: what its next interval starts from. */
export interface PbtMemberState {
  /** Its searched params (fixed ones are added per trial). */
  params: Params;
  /** The checkpoint its weights continue from; null before the first interval. */
  checkpoint: string | null;
  /** The trial that wrote that checkpoint. */
  parent: number | null;
  /** The first trial of the weights' line (seeds the trainer); null before the first interval. */
  seedTrial: number | null;
  /** Set when it copied another member at the last boundary. */
  copiedFrom?: number;
  changes?: Record<string, PbtChange>;
}

/** The population, carried across continue-as-new between intervals (JSON-safe). */
export interface PbtCarried {
  /** The interval to run next (0-based). */
  generation: number;
  members: PbtMemberState[];
}

export function pbtStart(spec: SweepSpec): PbtCarried {
  const params = pbtInitialParams(spec.searchSpace, pbtConfigOf(spec), spec.seed);
  return {
    generation: 0,
    members: params.map((p) => ({ params: p, checkpoint: null, parent: null, seedTrial: null })),
  };
}

/** Whether every interval has run. */
export const pbtDone = (spec: SweepSpec, state: PbtCarried): boolean =>
  state.generation >= pbtBoundaries(pbtEpochs(spec.fixed), pbtConfigOf(spec).interval).length;

/** A member's trial for the current interval, numbered `number`: its params and placement. */
export function pbtPlacement(
  spec: SweepSpec,
  state: PbtCarried,
  member: number,
  number: number,
): { params: Params; pbt: PbtPlacement } {
  const m = state.members[member]!;
  const ends = pbtBoundaries(pbtEpochs(spec.fixed), pbtConfigOf(spec).interval);
  const endEpoch = ends[state.generation]!;
  return {
    // The trainer runs from the checkpoint's epoch up to `epochs`: the interval's end.
    params: { ...spec.fixed, ...m.params, epochs: endEpoch },
    pbt: {
      member,
      generation: state.generation,
      startEpoch: state.generation === 0 ? 0 : ends[state.generation - 1]!,
      endEpoch,
      parent: m.parent,
      ...(m.copiedFrom !== undefined ? { copiedFrom: m.copiedFrom, changes: m.changes ?? {} } : {}),
      resumeFrom: m.checkpoint,
      seedTrial: m.seedTrial ?? number,
    },
  };
}

/**
 * The population for the next interval from this interval's outcomes (by member; a missing or
 * failed one scores nothing): exploit and explore at the boundary, deterministic from the seed.
 */
export function pbtAdvance(
  spec: SweepSpec,
  state: PbtCarried,
  results: readonly { number: number; seedTrial: number; outcome: TrialOutcome | undefined }[],
): PbtCarried {
  const ran = state.members.map((m, i) => {
    const r = results[i]!;
    const ok = r.outcome?.status === 'completed' && r.outcome.objective !== null;
    return {
      params: m.params,
      score: ok ? r.outcome!.objective : null,
      checkpoint: r.outcome?.checkpoint ?? m.checkpoint,
      parent: r.number,
      seedTrial: r.seedTrial,
    };
  });
  const decisions = pbtExploitExplore({
    space: spec.searchSpace,
    config: pbtConfigOf(spec),
    seed: spec.seed,
    generation: state.generation,
    goal: spec.metric.goal,
    members: ran,
  });
  return {
    generation: state.generation + 1,
    members: decisions.map((d) => {
      const from = ran[d.source]!;
      const base = {
        params: d.params,
        checkpoint: from.checkpoint,
        parent: from.parent,
        seedTrial: from.seedTrial,
      };
      return d.source === d.member ? base : { ...base, copiedFrom: d.source, changes: d.changes };
    }),
  };
}
