'use client';

import type { SweepForm } from '../../../lib/sweep-form';
import { Field, textInput, type SectionProps } from './form-field';

/** How to search: algorithm, early stopping, budget, seed and fixed params. */
export function SearchSection({ form, issues, set }: SectionProps) {
  const text = textInput(form, set);
  return (
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
              <option value="bohb">bohb (TPE per Hyperband budget)</option>
              <option value="pbt">pbt (population-based training)</option>
              <option value="gp">gp (Gaussian process, Optuna)</option>
              <option value="cmaes">cmaes (CMA-ES, Optuna)</option>
            </select>
          )}
        </Field>
        {(form.algorithm === 'tpe' || form.algorithm === 'bohb') && (
          <Field label="Random startup trials" path="tpe.nStartupTrials" issues={issues}>
            {(a) => text('tpeStartup', a, { inputMode: 'numeric' })}
          </Field>
        )}
        {form.algorithm === 'pbt' && (
          <>
            <Field label="Population" path="pbt.population" issues={issues}>
              {(a) => text('pbtPopulation', a, { inputMode: 'numeric' })}
            </Field>
            <Field
              label="Interval (epochs)"
              path="pbt.interval"
              issues={issues}
              hint="exploit/explore every this many epochs"
            >
              {(a) => text('pbtInterval', a, { inputMode: 'numeric' })}
            </Field>
          </>
        )}
      </div>
      {form.algorithm !== 'pbt' && (
        <div className="field-row">
          <Field label="Early stopping" path="earlyStopping" issues={issues}>
            {(a) => (
              <select
                {...a}
                value={form.earlyStopping}
                onChange={(e) => set('earlyStopping', e.target.value as SweepForm['earlyStopping'])}
              >
                <option value="none">none</option>
                <option value="median">median</option>
                <option value="asha">asha (successive halving)</option>
                <option value="hyperband">hyperband</option>
              </select>
            )}
          </Field>
          {(form.earlyStopping === 'asha' || form.earlyStopping === 'hyperband') && (
            <>
              <Field label="Min epochs" path="earlyStopping.minResource" issues={issues}>
                {(a) => text('minResource', a, { inputMode: 'decimal' })}
              </Field>
              {form.earlyStopping === 'hyperband' && (
                <Field label="Max epochs" path="earlyStopping.maxResource" issues={issues}>
                  {(a) => text('maxResource', a, { inputMode: 'numeric' })}
                </Field>
              )}
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
      )}
      <div className="field-row">
        {form.algorithm !== 'pbt' && (
          <Field label="Max trials" path="maxTrials" issues={issues}>
            {(a) => text('maxTrials', a, { inputMode: 'numeric' })}
          </Field>
        )}
        <Field label="GPU hours" path="budget.gpuHours" issues={issues} hint="optional budget">
          {(a) => text('gpuHours', a, { inputMode: 'decimal' })}
        </Field>
        <Field label="In parallel" path="maxParallel" issues={issues}>
          {(a) => text('maxParallel', a, { inputMode: 'numeric' })}
        </Field>
        <Field label="Seed" path="seed" issues={issues}>
          {(a) => text('seed', a, { inputMode: 'numeric' })}
        </Field>
      </div>
      <Field
        label="Outcome constraints"
        path="constraints"
        issues={issues}
        hint="one a line: trainable_params <= 1000000 or val_acc >= 0.8; a trial off them is infeasible"
      >
        {(a) => (
          <textarea
            {...a}
            rows={2}
            value={form.constraints}
            onChange={(e) => set('constraints', e.target.value)}
          />
        )}
      </Field>
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
  );
}
