import { formatNumber, scheduleChanges } from '@retune/core';
import type { PbtFamilyView } from '@retune/api';

const MAX_COPIES = 12;
const MAX_SCHEDULES = 5;

const value = (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v));

/** `sweep show` for a pbt sweep: who copied whom (briefly) and the best final members' schedules. */
export function renderPbtFamily(view: PbtFamilyView): string {
  if (view.generations === 0) return 'PBT: no interval has started yet';
  const copies = view.exploits.slice(-MAX_COPIES).map((e) => {
    const changes = Object.entries(e.changes)
      .map(
        ([name, c]) =>
          `${name} ${value(c.from)}→${value(c.to)}${c.how === 'resample' ? ' (resampled)' : ''}`,
      )
      .join(', ');
    return `  epoch ${e.epoch}: member ${e.member} copied member ${e.copiedFrom} (trial ${e.fromTrial} → ${e.toTrial})${changes ? `: ${changes}` : ''}`;
  });
  const hidden = view.exploits.length - copies.length;
  const schedules = [...view.schedules]
    .sort((a, b) => (b.objective ?? -Infinity) - (a.objective ?? -Infinity))
    .slice(0, MAX_SCHEDULES)
    .map((s) => {
      const changed = scheduleChanges(s, view.searched);
      const steps = s.steps.map(
        (st, i) =>
          `${st.startEpoch}–${st.endEpoch}${st.member !== s.member ? ` (m${st.member})` : ''}${changed[i]!.length ? ' ' + changed[i]!.join(' ') : ''}`,
      );
      const result = s.objective === null ? 'no result' : formatNumber(s.objective);
      return `  member ${s.member} (trial ${s.finalTrial}, ${result}): ${steps.join(' | ')}`;
    });
  return [
    `PBT family tree (${view.generations} intervals, ${view.exploits.length} copies${hidden > 0 ? `, last ${copies.length} shown` : ''}):`,
    ...(copies.length ? copies : ['  no member copied another']),
    `Schedules of the final members (best first; epochs, then the params that changed):`,
    ...schedules,
  ].join('\n');
}
