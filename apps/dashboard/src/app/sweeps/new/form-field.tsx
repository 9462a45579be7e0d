'use client';

import type { ReactNode } from 'react';
import { issuesAt, type SpecIssue, type SweepForm } from '../../../lib/sweep-form';

export function Issues({ issues, id }: { issues: SpecIssue[]; id: string }) {
  if (issues.length === 0) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {issues.map((i) => i.message).join('; ')}
    </span>
  );
}

/** A labelled input whose schema issues (at `path` and below) sit right under it. */
export function Field({
  label,
  path,
  issues,
  children,
  hint,
}: {
  label: string;
  path: string;
  issues: SpecIssue[];
  children: (a11y: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
  hint?: string;
}) {
  const id = `f-${path.replace(/[^A-Za-z0-9]/g, '-')}`;
  const mine = issuesAt(issues, path);
  return (
    <div className={`field${mine.length > 0 ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': mine.length > 0,
        ...(mine.length > 0 ? { 'aria-describedby': `${id}-err` } : {}),
      })}
      {hint && <span className="hint">{hint}</span>}
      <Issues issues={mine} id={`${id}-err`} />
    </div>
  );
}

/** Sets one field of the form (the YAML follows). */
export type SetField = <K extends keyof SweepForm>(key: K, value: SweepForm[K]) => void;

/** What each section of the form gets: the form, its issues, and a setter. */
export interface SectionProps {
  form: SweepForm;
  issues: SpecIssue[];
  set: SetField;
}

/** A text input bound to one string field of the form. */
export function textInput(form: SweepForm, set: SetField) {
  return (key: keyof SweepForm, a11y: object, extra: object = {}) => (
    <input
      {...a11y}
      {...extra}
      value={form[key] as string}
      onChange={(e) => set(key, e.target.value as never)}
    />
  );
}
