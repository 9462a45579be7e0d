import { pbtFamily, type PbtFamily } from '@retune/core';
import type { DomainDeps } from './deps';
import { getSweep } from './sweep-queries';

export interface PbtFamilyView extends PbtFamily {
  /** The params the population searched (what each schedule step shows). */
  searched: string[];
}

/**
 * A pbt sweep's family tree: who copied whom, at which epoch, with what change, and the
 * schedule each final member followed. Other algorithms get an empty tree.
 */
export async function getPbtFamily(
  deps: Pick<DomainDeps, 'repos'>,
  sweepId: string,
): Promise<PbtFamilyView> {
  const sweep = await getSweep(deps, sweepId);
  if (sweep.algorithm !== 'pbt')
    return { generations: 0, nodes: [], exploits: [], schedules: [], searched: [] };
  const spec = sweep.spec as { searchSpace?: Record<string, unknown> };
  const family = pbtFamily(await deps.repos.trials.pbtTrials(sweepId));
  return { ...family, searched: Object.keys(spec.searchSpace ?? {}).sort() };
}
