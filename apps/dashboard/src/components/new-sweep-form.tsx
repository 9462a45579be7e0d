'use client';

import { TRPCClientError } from '@trpc/client';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type ReactNode } from 'react';
import {
  checkSpec,
  defaultSweepForm,
  formToSpec,
  formToYaml,
  issuesAt,
  newParamRow,
  PARAM_TYPES,
  yamlToForm,
  type ParamRow,
  type ParamType,
  type SpecIssue,
  type SweepForm,
} from '../lib/sweep-form';
import { trpc } from '../lib/trpc-client';

interface Option {
  id: string;
  label: string;
}

interface Props {
  datasets: Option[];
  baseModels: Option[];
}

function Issues({ issues, id }: { issues: SpecIssue[]; id: string }) {
  if (issues.length === 0) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {issues.map((i) => i.message).join('; ')}
    </span>
  );
}

/** A labelled input whose schema issues (at `path` and below) sit right under it. */
function Field({
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

/** The new-sweep form, its YAML twin, and the launch button. */
export function NewSweepForm({ datasets, baseModels }: Props) {
  const router = useRouter();
  const [form, setForm] = useState<SweepForm>(defaultSweepForm);
  const [yaml, setYaml] = useState(() => formToYaml(form));
  const [yamlError, setYamlError] = useState<string | null>(null);
  const [launching, setLaunching] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
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
  const setParam = (key: number, patch: Partial<ParamRow>) =>
    update({ ...form, params: form.params.map((p) => (p.key === key ? { ...p, ...patch } : p)) });

  const onYaml = (text: string) => {
    setYaml(text);
    const r = yamlToForm(text);
    if ('error' in r) setYamlError(r.error);
    else {
      setYamlError(null);
      setForm(r.form);
    }
  };

  const launch = async () => {
    setLaunching(true);
    setServerError(null);
    try {
      const sweep = await trpc.sweep.launch.mutate({ spec });
      router.push(`/sweeps/${sweep.id}`);
    } catch (err) {
      const data =
        err instanceof TRPCClientError
          ? (err.data as { issues?: SpecIssue[] } | undefined)
          : undefined;
      if (data?.issues?.length) setServerIssues(data.issues);
      setServerError(err instanceof Error ? err.message : String(err));
      setLaunching(false);
    }
  };

  const text = (key: keyof SweepForm, a11y: object, extra: object = {}) => (
    <input
      {...a11y}
      {...extra}
      value={form[key] as string}
      onChange={(e) => set(key, e.target.value as never)}
    />
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
        <fieldset>
          <legend>What to fine-tune</legend>
          <Field label="Name" path="name" issues={issues}>
            {(a) => text('name', a)}
          </Field>
          <Field label="Dataset" path="dataset" issues={issues} hint="a demo id or a folder path">
            {(a) => text('dataset', a, { list: 'dataset-options' })}
          </Field>
          <datalist id="dataset-options">
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </datalist>
          <Field
            label="Base model"
            path="baseModel"
            issues={issues}
            hint="a registered name, a demo id, or a model.json path/URL"
          >
            {(a) => text('baseModel', a, { list: 'base-model-options' })}
          </Field>
          <datalist id="base-model-options">
            {baseModels.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </datalist>
          <Field label="Trainer" path="trainer" issues={issues}>
            {(a) => (
              <select
                {...a}
                value={form.trainer}
                onChange={(e) => set('trainer', e.target.value as SweepForm['trainer'])}
              >
                <option value="tfjs">tfjs — TensorFlow.js transfer learning</option>
                <option value="synthetic">synthetic — known objective, for demos</option>
                <option value="command">command — any program speaking the protocol</option>
              </select>
            )}
          </Field>
          {form.trainer === 'command' && (
            <Field
              label="Command"
              path="trainer.command"
              issues={issues}
              hint="argv, space separated"
            >
              {(a) => text('command', a, { placeholder: 'python3 trainers/pytorch/train.py' })}
            </Field>
          )}
          <div className="field-row">
            <Field label="Metric" path="metric.name" issues={issues}>
              {(a) => text('metricName', a)}
            </Field>
            <Field label="Goal" path="metric.goal" issues={issues}>
              {(a) => (
                <select
                  {...a}
                  value={form.metricGoal}
                  onChange={(e) => set('metricGoal', e.target.value as SweepForm['metricGoal'])}
                >
                  <option>maximize</option>
                  <option>minimize</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>How to search</legend>
          <div className="field-row">
            <Field label="Algorithm" path="algorithm" issues={issues}>
              {(a) => (
                <select
                  {...a}
                  value={form.algorithm}
                  onChange={(e) => set('algorithm', e.target.value as SweepForm['algorithm'])}
                >
                  <option value="grid">grid</option>
                  <option value="random">random</option>
                  <option value="tpe">tpe (Bayesian)</option>
                </select>
              )}
            </Field>
            {form.algorithm === 'tpe' && (
              <Field label="Random startup trials" path="tpe.nStartupTrials" issues={issues}>
                {(a) => text('tpeStartup', a, { inputMode: 'numeric' })}
              </Field>
            )}
          </div>
          <div className="field-row">
            <Field label="Early stopping" path="earlyStopping" issues={issues}>
              {(a) => (
                <select
                  {...a}
                  value={form.earlyStopping}
                  onChange={(e) =>
                    set('earlyStopping', e.target.value as SweepForm['earlyStopping'])
                  }
                >
                  <option value="none">none</option>
                  <option value="median">median</option>
                  <option value="asha">asha (successive halving)</option>
                </select>
              )}
            </Field>
            {form.earlyStopping === 'asha' && (
              <>
                <Field label="Min epochs" path="earlyStopping.minResource" issues={issues}>
                  {(a) => text('minResource', a, { inputMode: 'decimal' })}
                </Field>
                <Field
                  label="Reduction factor η"
                  path="earlyStopping.reductionFactor"
                  issues={issues}
                >
                  {(a) => text('reductionFactor', a, { inputMode: 'numeric' })}
                </Field>
              </>
            )}
            {form.earlyStopping === 'median' && (
              <>
                <Field label="Startup trials" path="earlyStopping.nStartupTrials" issues={issues}>
                  {(a) => text('medianStartup', a, { inputMode: 'numeric' })}
                </Field>
                <Field label="Warm-up epochs" path="earlyStopping.nWarmupSteps" issues={issues}>
                  {(a) => text('medianWarmup', a, { inputMode: 'numeric' })}
                </Field>
              </>
            )}
          </div>
          <div className="field-row">
            <Field label="Max trials" path="maxTrials" issues={issues}>
              {(a) => text('maxTrials', a, { inputMode: 'numeric' })}
            </Field>
            <Field label="In parallel" path="maxParallel" issues={issues}>
              {(a) => text('maxParallel', a, { inputMode: 'numeric' })}
            </Field>
            <Field label="Seed" path="seed" issues={issues}>
              {(a) => text('seed', a, { inputMode: 'numeric' })}
            </Field>
          </div>
          <Field
            label="Fixed params"
            path="fixed"
            issues={issues}
            hint="passed to every trial, one key: value a line"
          >
            {(a) => (
              <textarea
                {...a}
                rows={3}
                value={form.fixed}
                onChange={(e) => set('fixed', e.target.value)}
              />
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>Search space</legend>
          <Issues issues={issues.filter((i) => i.path === 'searchSpace')} id="err-space" />
          {form.params.map((p, i) => (
            <ParamEditor
              key={p.key}
              row={p}
              index={i}
              issues={issuesAt(issues, `searchSpace.${p.name}`)}
              onChange={(patch) => setParam(p.key, patch)}
              onRemove={() =>
                update({ ...form, params: form.params.filter((x) => x.key !== p.key) })
              }
            />
          ))}
          <button
            type="button"
            className="button"
            onClick={() =>
              update({
                ...form,
                params: [...form.params, newParamRow({ name: `param${form.params.length + 1}` })],
              })
            }
          >
            + Add parameter
          </button>
        </fieldset>

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

      <aside className="side">
        <div className="panel">
          <label htmlFor="spec-yaml">
            <h2>YAML</h2>
          </label>
          <p className="hint">Edit either side; the other follows. Same file the CLI launches.</p>
          <textarea
            id="spec-yaml"
            className="yaml"
            spellCheck={false}
            rows={28}
            value={yaml}
            aria-invalid={yamlError !== null}
            aria-describedby={yamlError ? 'yaml-err' : undefined}
            onChange={(e) => onYaml(e.target.value)}
          />
          {yamlError && (
            <span className="field-error" id="yaml-err" role="alert">
              YAML: {yamlError}
            </span>
          )}
        </div>
        <div className="panel knobs">
          <h2>What do these knobs mean?</h2>
          <h3>Freeze depth</h3>
          <p>
            How many of the base model&apos;s layers keep their pretrained weights during training.
            Freeze more when the new data is small or close to the source task; freeze less when it
            differs a lot.
          </p>
          <h3>Discriminative learning rate</h3>
          <p>
            The new head (<code>headLr</code>) and the unfrozen base layers (<code>baseLr</code>)
            learn at different rates. The base usually wants a rate 10–100× smaller so fine-tuning
            does not erase what it learned.
          </p>
          <h3>Augmentation</h3>
          <p>
            Random flips, rotations, zooms and noise applied to training images only, so the model
            sees more variety than the dataset holds. It helps most on small datasets and costs some
            training speed.
          </p>
        </div>
      </aside>
    </div>
  );
}

function ParamEditor({
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
