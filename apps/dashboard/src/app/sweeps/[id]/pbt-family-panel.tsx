import Link from 'next/link';
import { formatNumber, scheduleChanges, trialId, type PbtFamily } from '@retune/core';

interface Props {
  sweepId: string;
  metricName: string;
  family: PbtFamily & { searched: string[] };
}

const COL = 84;
const ROW = 26;
const PAD = 18;

const shown = (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v));

/**
 * Population-based training: the family tree (one row per member, one column per interval; a
 * line joins each interval to the trial its weights came from, a bold one marks a copy of another
 * member) and the schedule each final member followed.
 */
export function PbtFamilyPanel({ sweepId, metricName, family }: Props) {
  const members = family.nodes.reduce((n, t) => Math.max(n, t.member + 1), 0);
  const at = new Map(family.nodes.map((n) => [n.trial, n]));
  const x = (generation: number) => PAD + generation * COL;
  const y = (member: number) => PAD + member * ROW;
  const changesOf = new Map(family.exploits.map((e) => [e.toTrial, e]));
  const width = x(Math.max(0, family.generations - 1)) + PAD * 2;
  const height = y(Math.max(0, members - 1)) + PAD * 2;
  const schedules = [...family.schedules].sort(
    (a, b) => (b.objective ?? -Infinity) - (a.objective ?? -Infinity),
  );
  return (
    <div className="panel">
      <div className="panel-head">
        <h2>Population family tree</h2>
        <span className="hint">
          {family.exploits.length} copies over {family.generations} intervals: a bold line is a
          member that copied another&apos;s checkpoint and changed its params
        </span>
      </div>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label="population-based training family tree"
        style={{ maxWidth: '100%' }}
      >
        {family.nodes.map((n) => {
          const parent = n.parent === null ? undefined : at.get(n.parent);
          if (!parent) return null;
          const copy = changesOf.get(n.trial);
          return (
            <line
              key={`e${n.trial}`}
              x1={x(parent.generation)}
              y1={y(parent.member)}
              x2={x(n.generation)}
              y2={y(n.member)}
              stroke={n.copied ? 'var(--accent)' : 'var(--muted)'}
              strokeWidth={n.copied ? 2.5 : 1}
            >
              {copy && (
                <title>
                  {`epoch ${copy.epoch}: member ${copy.member} copied member ${copy.copiedFrom}; ` +
                    Object.entries(copy.changes)
                      .map(([k, c]) => `${k} ${shown(c.from)}→${shown(c.to)} (${c.how})`)
                      .join(', ')}
                </title>
              )}
            </line>
          );
        })}
        {family.nodes.map((n) => (
          <circle
            key={`n${n.trial}`}
            cx={x(n.generation)}
            cy={y(n.member)}
            r={5}
            fill={n.status === 'completed' ? 'var(--accent)' : 'var(--muted)'}
          >
            <title>
              {`trial ${n.trial}, member ${n.member}, interval ${n.generation + 1}: ${n.status}` +
                (n.objective === null ? '' : `, ${metricName} ${formatNumber(n.objective)}`)}
            </title>
          </circle>
        ))}
      </svg>
      <h3>Schedules of the final members</h3>
      <table aria-label="schedules of the final members">
        <thead>
          <tr>
            <th>member</th>
            <th className="num">{metricName}</th>
            <th>epochs and params (what changed at each interval)</th>
          </tr>
        </thead>
        <tbody>
          {schedules.map((s) => {
            const changed = scheduleChanges(s, family.searched);
            return (
              <tr key={s.member}>
                <td>
                  <Link href={`/trials/${trialId(sweepId, s.finalTrial)}`}>member {s.member}</Link>
                </td>
                <td className="num">{s.objective === null ? '—' : formatNumber(s.objective)}</td>
                <td>
                  {s.steps
                    .map(
                      (st, i) =>
                        `${st.startEpoch}–${st.endEpoch}` +
                        (st.member !== s.member ? ` (from member ${st.member})` : '') +
                        (changed[i]!.length ? ` ${changed[i]!.join(' ')}` : ''),
                    )
                    .join(' · ')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
