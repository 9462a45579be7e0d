import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  checkSpec,
  defaultSweepForm,
  formToSpec,
  formToYaml,
  issuesAt,
  parseWhen,
  specToForm,
  yamlToForm,
} from './sweep-form';

const demoYaml = readFileSync(
  new URL('../../../../examples/demo-sweep.yaml', import.meta.url),
  'utf8',
);

describe('sweep form', () => {
  it('the default form is a valid spec', () => {
    const { issues, plannedTrials } = checkSpec(formToSpec(defaultSweepForm()));
    expect(issues).toEqual([]);
    expect(plannedTrials).toBe(20);
  });

  it('YAML → form → YAML keeps every field of the demo spec', () => {
    const r = yamlToForm(demoYaml);
    if (!('form' in r)) throw new Error(r.error);
    expect(r.form.trainer).toBe('synthetic');
    expect(r.form.params.map((p) => p.name)).toEqual(['headLr', 'freezeDepth', 'augment']);
    const again = parse(formToYaml(r.form)) as Record<string, unknown>;
    const original = parse(demoYaml) as Record<string, unknown>;
    // The form adds the explicit defaults it shows; everything the YAML said is unchanged.
    expect(again).toMatchObject(original);
    expect(again.earlyStopping).toEqual({ type: 'none' });
  });

  it('keeps spec keys the form has no field for', () => {
    const r = yamlToForm(`${demoYaml}\nmaxRetries: 5\ntpe: { nEiCandidates: 48 }\n`);
    if (!('form' in r)) throw new Error(r.error);
    const spec = formToSpec({ ...r.form, algorithm: 'tpe' });
    expect(spec).toMatchObject({ maxRetries: 5, tpe: { nEiCandidates: 48, nStartupTrials: 10 } });
  });

  it('shows bohb, hyperband, constraints and the GPU budget as fields, and round-trips them', () => {
    const spec = {
      ...(parse(demoYaml) as object),
      algorithm: 'bohb',
      earlyStopping: { type: 'hyperband', minResource: 1, maxResource: 9, reductionFactor: 3 },
      constraints: [
        { name: 'trainable_params', max: 1000000 },
        { name: 'val_acc', min: 0.5, max: 1 },
      ],
      budget: { gpuHours: 2 },
    };
    const form = specToForm(spec);
    expect(form).toMatchObject({
      algorithm: 'bohb',
      earlyStopping: 'hyperband',
      maxResource: '9',
      gpuHours: '2',
      constraints: 'trainable_params <= 1000000\nval_acc >= 0.5\nval_acc <= 1',
      extra: {},
    });
    expect(formToSpec(form)).toMatchObject({
      algorithm: 'bohb',
      earlyStopping: spec.earlyStopping,
      constraints: spec.constraints,
      budget: { gpuHours: 2 },
    });
    expect(checkSpec(formToSpec(form)).issues).toEqual([]);
  });

  it('the new fields get their errors from the schema, by field', () => {
    const f = {
      ...defaultSweepForm(),
      algorithm: 'bohb' as const,
      earlyStopping: 'hyperband' as const,
      gpuHours: '0',
      constraints: 'trainable_params < 5',
    };
    const { issues } = checkSpec(formToSpec(f));
    expect(issuesAt(issues, 'budget.gpuHours')[0]!.message).toMatch(/more than 0/);
    expect(issuesAt(issues, 'earlyStopping')[0]!.message).toMatch(/maxResource/);
    expect(issuesAt(issues, 'constraints')[0]!.message).toMatch(/needs max, min or both/);
    const asha = checkSpec(formToSpec({ ...defaultSweepForm(), algorithm: 'bohb' }));
    expect(issuesAt(asha.issues, 'earlyStopping')[0]!.message).toMatch(/Hyperband/);
  });

  it('a GPU budget stands in for max trials', () => {
    const f = { ...defaultSweepForm(), maxTrials: '', gpuHours: '1.5' };
    expect(formToSpec(f)).toMatchObject({ budget: { gpuHours: 1.5 } });
    expect(checkSpec(formToSpec(f)).issues).toEqual([]);
  });

  it('keeps a pbt spec (algorithm and its options) as written, without adding maxTrials', () => {
    const { maxTrials: _m, ...demo } = parse(demoYaml) as Record<string, unknown>;
    const spec = formToSpec(
      specToForm({ ...demo, algorithm: 'pbt', pbt: { population: 4, interval: 2 } }),
    );
    expect(spec).toMatchObject({ algorithm: 'pbt', pbt: { population: 4, interval: 2 } });
    expect(spec).not.toHaveProperty('maxTrials');
  });

  it('pbt has its own fields; the spec it makes has no maxTrials or early stopping and is valid', () => {
    const d = defaultSweepForm();
    // pbt has no conditional params (the default form's baseLr has a `when`).
    const params = d.params.map((p) => ({ ...p, when: '' }));
    const f = { ...d, params, algorithm: 'pbt' as const, pbtPopulation: '4' };
    const spec = formToSpec(f);
    expect(spec).toMatchObject({ algorithm: 'pbt', pbt: { population: 4, interval: 2 } });
    expect(spec).not.toHaveProperty('earlyStopping');
    expect(checkSpec(spec).issues).toEqual([]);
    const back = specToForm({ ...spec, pbt: { population: 6, interval: 1, quantile: 0.5 } });
    expect(back).toMatchObject({ algorithm: 'pbt', pbtPopulation: '6', pbtInterval: '1' });
    expect(formToSpec(back)).toMatchObject({ pbt: { population: 6, interval: 1, quantile: 0.5 } });
    expect(checkSpec(formToSpec({ ...f, pbtInterval: '0' })).issues).toContainEqual(
      expect.objectContaining({ path: 'pbt.interval' }),
    );
  });

  it('offers gp and cmaes and keeps their options, which have no field', () => {
    for (const extra of [{ algorithm: 'gp', gp: { nStartupTrials: 5 } }, { algorithm: 'cmaes' }]) {
      const form = specToForm({ ...(parse(demoYaml) as object), ...extra });
      expect(formToSpec(form)).toMatchObject(extra);
    }
  });

  it('when conditions round-trip between text and the spec', () => {
    expect(parseWhen('freezeDepth: 2, 4, 6; augment: light')).toEqual({
      freezeDepth: [2, 4, 6],
      augment: 'light',
    });
    expect(parseWhen('  ')).toBeUndefined();
    const r = yamlToForm(formToYaml(defaultSweepForm()));
    if (!('form' in r)) throw new Error(r.error);
    expect(r.form.params[3]!.when).toBe('freezeDepth: 2, 4, 6');
  });

  it('reports schema issues by field path', () => {
    const f = defaultSweepForm();
    f.params[0]!.min = '0';
    f.maxTrials = '';
    f.name = ' ';
    const { issues } = checkSpec(formToSpec(f));
    expect(issuesAt(issues, 'searchSpace.headLr').map((i) => i.message)).toEqual([
      'loguniform needs min > 0 (use uniform for ranges that include 0)',
    ]);
    expect(issuesAt(issues, 'maxTrials')[0]!.message).toMatch(/needs maxTrials/);
    expect(issuesAt(issues, 'name')[0]!.message).toBe('give the sweep a name');
  });

  it('a param the trainer does not know is an issue on its row, naming the closest one', () => {
    const f = defaultSweepForm();
    f.params[0] = { ...f.params[0]!, name: 'freezeDept' };
    const [issue] = issuesAt(checkSpec(formToSpec(f)).issues, 'searchSpace.freezeDept');
    expect(issue?.message).toMatch(/did you mean "freezeDepth"\?/);
  });

  it('a grid larger than maxTrials is an issue on maxTrials', () => {
    const f = { ...defaultSweepForm(), algorithm: 'grid' as const, maxTrials: '2' };
    f.params = f.params.slice(1, 3);
    expect(checkSpec(formToSpec(f)).issues).toEqual([
      { path: 'maxTrials', message: expect.stringMatching(/the grid has 12 points/) },
    ]);
  });

  it('broken YAML is an error, not a new form', () => {
    expect(yamlToForm('name: [unclosed')).toHaveProperty('error');
    expect(yamlToForm('- a list')).toEqual({ error: expect.stringMatching(/must be a map/) });
  });
});
