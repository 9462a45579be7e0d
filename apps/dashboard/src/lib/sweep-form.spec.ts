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

  it('keeps bohb and hyperband, which the form cannot show yet', () => {
    const form = specToForm({
      ...(parse(demoYaml) as object),
      algorithm: 'bohb',
      earlyStopping: { type: 'hyperband', maxResource: 9 },
    });
    expect(formToSpec(form)).toMatchObject({
      algorithm: 'bohb',
      earlyStopping: { type: 'hyperband', maxResource: 9 },
    });
  });

  it('keeps gp and cmaes with their options, which the form cannot show yet', () => {
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
