'use client';

import {
  issuesAt,
  PARAM_TYPES,
  type ParamRow,
  type ParamType,
  type SpecIssue,
} from '../../../lib/sweep-form';
import { Issues } from './form-field';

/** One parameter of the search space: name, type, range or values, and its condition. */
export function ParamEditor({
  row,
  index,
  issues,
  onChange,
  onRemove,
}: {
  row: ParamRow;
  index: number;
  issues: SpecIssue[];
  onChange: (patch: Partial<ParamRow>) => void;
  onRemove: () => void;
}) {
  const base = `searchSpace.${row.name}`;
  const input = (key: keyof ParamRow, label: string, placeholder = '') => {
    const mine = issuesAt(issues, `${base}.${key}`);
    const id = `p${row.key}-${key}`;
    return (
      <div className={`field small${mine.length > 0 ? ' invalid' : ''}`}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          value={row[key] as string}
          placeholder={placeholder}
          aria-invalid={mine.length > 0}
          aria-describedby={mine.length > 0 ? `${id}-err` : undefined}
          onChange={(e) => onChange({ [key]: e.target.value })}
        />
        <Issues issues={mine} id={`${id}-err`} />
      </div>
    );
  };
  const own = issues.filter(
    (i) =>
      !['min', 'max', 'step', 'gridPoints', 'values', 'when'].some((k) =>
        i.path.startsWith(`${base}.${k}`),
      ),
  );
  return (
    <div
      className="param-row"
      role="group"
      aria-label={`parameter ${index + 1}: ${row.name || 'unnamed'}`}
    >
      {input('name', 'Name')}
      <div className="field small">
        <label htmlFor={`p${row.key}-type`}>Type</label>
        <select
          id={`p${row.key}-type`}
          value={row.type}
          onChange={(e) => onChange({ type: e.target.value as ParamType })}
        >
          {PARAM_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </div>
      {row.type === 'choice' ? (
        input('values', 'Values', 'none, light, heavy')
      ) : (
        <>
          {input('min', 'Min')}
          {input('max', 'Max')}
          {row.type === 'int' && input('step', 'Step', '1')}
          {input('gridPoints', 'Grid points', 'grid only')}
        </>
      )}
      {input('when', 'Only when', 'freezeDepth: 2, 4')}
      <button
        type="button"
        className="button danger small"
        onClick={onRemove}
        aria-label={`remove parameter ${row.name}`}
      >
        Remove
      </button>
      <Issues issues={own} id={`p${row.key}-err`} />
    </div>
  );
}
