'use client';

import { issuesAt, newParamRow } from '../../../lib/sweep-form';
import { Issues, type SectionProps } from './form-field';
import { ParamEditor } from './param-editor';

/** The search space: one editor row per parameter. */
export function SpaceSection({ form, issues, set }: SectionProps) {
  const setParams = (params: typeof form.params) => set('params', params);
  return (
    <fieldset>
      <legend>Search space</legend>
      <Issues issues={issues.filter((i) => i.path === 'searchSpace')} id="err-space" />
      {form.params.map((p, i) => (
        <ParamEditor
          key={p.key}
          row={p}
          index={i}
          issues={issuesAt(issues, `searchSpace.${p.name}`)}
          onChange={(patch) =>
            setParams(form.params.map((x) => (x.key === p.key ? { ...x, ...patch } : x)))
          }
          onRemove={() => setParams(form.params.filter((x) => x.key !== p.key))}
        />
      ))}
      <button
        type="button"
        className="button"
        onClick={() =>
          setParams([...form.params, newParamRow({ name: `param${form.params.length + 1}` })])
        }
      >
        + Add parameter
      </button>
    </fieldset>
  );
}
