'use client';

import type { SweepForm } from '../../../lib/sweep-form';
import { Field, textInput, type SectionProps } from './form-field';

export interface Option {
  id: string;
  label: string;
}

/** What to fine-tune: name, dataset, base model, trainer and the sweep metric. */
export function ModelSection({
  form,
  issues,
  set,
  datasets,
  baseModels,
}: SectionProps & { datasets: Option[]; baseModels: Option[] }) {
  const text = textInput(form, set);
  return (
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
        <Field label="Command" path="trainer.command" issues={issues} hint="argv, space separated">
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
  );
}
