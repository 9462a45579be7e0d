'use client';

import { TRPCClientError } from '@trpc/client';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import {
  checkSpec,
  defaultSweepForm,
  formToSpec,
  formToYaml,
  yamlToForm,
  type SpecIssue,
  type SweepForm,
} from '../../../lib/sweep-form';
import { trpc } from '../../../lib/trpc-client';
import { useAction } from '../../../lib/use-action';
import { ModelSection, type Option } from './model-section';
import { SearchSection } from './search-section';
import { SpaceSection } from './space-section';
import { YamlPanel } from './yaml-panel';

interface Props {
  datasets: Option[];
  baseModels: Option[];
}

/** The new-sweep form, its YAML twin, and the launch button. */
export function NewSweepForm({ datasets, baseModels }: Props) {
  const router = useRouter();
  const [form, setForm] = useState<SweepForm>(defaultSweepForm);
  const [yaml, setYaml] = useState(() => formToYaml(form));
  const [yamlError, setYamlError] = useState<string | null>(null);
  const { busy: launching, error: serverError, run } = useAction();
  const [serverIssues, setServerIssues] = useState<SpecIssue[]>([]);

  const spec = useMemo(() => formToSpec(form), [form]);
  const checked = useMemo(() => checkSpec(spec), [spec]);
  const issues = checked.issues.length > 0 ? checked.issues : serverIssues;

  const update = (next: SweepForm) => {
    setForm(next);
    setYaml(formToYaml(next));
    setYamlError(null);
    setServerIssues([]);
  };
  const set = <K extends keyof SweepForm>(key: K, value: SweepForm[K]) =>
    update({ ...form, [key]: value });

  const onYaml = (text: string) => {
    setYaml(text);
    const r = yamlToForm(text);
    if ('error' in r) setYamlError(r.error);
    else {
      setYamlError(null);
      setForm(r.form);
    }
  };

  const launch = () =>
    run(
      async () => {
        const sweep = await trpc.sweep.launch.mutate({ spec });
        router.push(`/sweeps/${sweep.id}`);
      },
      {
        keepBusyOnSuccess: true,
        onError: (err) => {
          const data =
            err instanceof TRPCClientError
              ? (err.data as { issues?: SpecIssue[] } | undefined)
              : undefined;
          if (data?.issues?.length) setServerIssues(data.issues);
        },
      },
    );

  return (
    <div className="new-sweep">
      <form
        className="sweep-form"
        aria-label="new sweep"
        onSubmit={(e) => {
          e.preventDefault();
          if (checked.issues.length === 0) void launch();
        }}
      >
        <ModelSection
          form={form}
          issues={issues}
          set={set}
          datasets={datasets}
          baseModels={baseModels}
        />
        <SearchSection form={form} issues={issues} set={set} />
        <SpaceSection form={form} issues={issues} set={set} />

        <div className="launch-row">
          <button
            type="submit"
            className="button primary"
            disabled={launching || checked.issues.length > 0}
          >
            {launching ? 'Launching…' : 'Launch sweep'}
          </button>
          <span className="hint" aria-live="polite">
            {checked.issues.length > 0
              ? `${checked.issues.length} thing${checked.issues.length > 1 ? 's' : ''} to fix before launching`
              : form.maxTrials.trim() === '' && form.gpuHours.trim() !== ''
                ? `trials until ${form.gpuHours.trim()} GPU-h are spent`
                : `${checked.plannedTrials} trial${checked.plannedTrials === 1 ? '' : 's'} planned`}
          </span>
          {serverError && (
            <p className="error-box" role="alert">
              {serverError}
            </p>
          )}
        </div>
        {checked.issues.length > 0 && (
          <ul className="issue-list" aria-label="problems in the spec">
            {checked.issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                <code>{i.path || '(spec)'}</code> {i.message}
              </li>
            ))}
          </ul>
        )}
      </form>

      <YamlPanel yaml={yaml} yamlError={yamlError} onYaml={onYaml} />
    </div>
  );
}
