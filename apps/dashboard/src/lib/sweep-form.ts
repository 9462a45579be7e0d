import {
  GridError,
  parseLaunchSpec,
  plannedTrialCount,
  SpecError,
  type ParamValue,
} from '@retune/core';
import { parse, stringify } from 'yaml';
import { formatConstraintLines, parseConstraintLines } from './constraint-lines';

/**
 * The new-sweep form's state and its two-way mapping to a spec object (and YAML). Fields hold
 * what the user typed (numbers as text) so a half-typed value is never lost; the spec is built
 * from them, and the core schema (the one the API applies) reports what is wrong, per field.
 */

export const PARAM_TYPES = ['choice', 'int', 'uniform', 'loguniform'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export interface ParamRow {
  /** Stable React key; not part of the spec. */
  key: number;
  name: string;
  type: ParamType;
  min: string;
  max: string;
  step: string;
  gridPoints: string;
  log: boolean;
  /** Choice values, comma separated. */
  values: string;
  /** `other: v1, v2; third: v` — active only when every named param holds one of the values. */
  when: string;
}

export type TrainerChoice = 'tfjs' | 'synthetic' | 'command';
export type EarlyStoppingChoice = 'none' | 'median' | 'asha' | 'hyperband';

/** The algorithms the form offers (every one the spec has). */
export const FORM_ALGORITHMS = ['grid', 'random', 'tpe', 'bohb', 'pbt', 'gp', 'cmaes'] as const;
export type Algorithm = (typeof FORM_ALGORITHMS)[number];

export interface SweepForm {
  name: string;
  dataset: string;
  baseModel: string;
  trainer: TrainerChoice;
  /** argv of a command trainer, space separated. */
  command: string;
  metricName: string;
  metricGoal: 'maximize' | 'minimize';
  algorithm: Algorithm;
  tpeStartup: string;
  /** pbt.population and pbt.interval (epochs between exploit/explore). */
  pbtPopulation: string;
  pbtInterval: string;
  earlyStopping: EarlyStoppingChoice;
  minResource: string;
  /** Hyperband: the epochs a full trial runs. */
  maxResource: string;
  reductionFactor: string;
  medianStartup: string;
  medianWarmup: string;
  maxTrials: string;
  /** budget.gpuHours; empty: no GPU-time budget. */
  gpuHours: string;
  maxParallel: string;
  seed: string;
  /** Outcome constraints, one `name <= max` or `name >= min` a line. */
  constraints: string;
  /** Fixed params, one `key: value` a line. */
  fixed: string;
  params: ParamRow[];
  /** Spec keys the form has no field for, kept so YAML → form → YAML loses nothing. */
  extra: Record<string, unknown>;
}

let nextKey = 1;
export const newParamRow = (over: Partial<ParamRow> = {}): ParamRow => ({
  key: nextKey++,
  name: '',
  type: 'uniform',
  min: '',
  max: '',
  step: '',
  gridPoints: '',
  log: false,
  values: '',
  when: '',
  ...over,
});

export const defaultSweepForm = (): SweepForm => ({
  name: 'transfer sweep',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  trainer: 'tfjs',
  command: '',
  metricName: 'val_acc',
  metricGoal: 'maximize',
  algorithm: 'tpe',
  tpeStartup: '10',
  pbtPopulation: '8',
  pbtInterval: '2',
  earlyStopping: 'asha',
  minResource: '1',
  maxResource: '',
  reductionFactor: '3',
  medianStartup: '5',
  medianWarmup: '0',
  maxTrials: '20',
  gpuHours: '',
  maxParallel: '2',
  seed: '0',
  constraints: '',
  fixed: 'epochs: 5',
  params: [
    newParamRow({ name: 'headLr', type: 'loguniform', min: '0.0001', max: '0.1' }),
    newParamRow({ name: 'freezeDepth', type: 'int', min: '0', max: '6', step: '2' }),
    newParamRow({ name: 'augment', type: 'choice', values: 'none, light, heavy' }),
    newParamRow({
      name: 'baseLr',
      type: 'loguniform',
      min: '0.00001',
      max: '0.01',
      when: 'freezeDepth: 2, 4, 6',
    }),
  ],
  extra: {},
});

/** Text → number where it is one; other text stays text so the schema can name the field. */
function num(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** A scalar as YAML would read it: numbers and booleans typed, the rest text. */
function scalar(text: string): ParamValue {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

const list = (text: string): ParamValue[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(scalar);

export function parseWhen(text: string): Record<string, ParamValue | ParamValue[]> | undefined {
  const out: Record<string, ParamValue | ParamValue[]> = {};
  for (const part of text.split(';')) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    const values = list(part.slice(i + 1));
    if (name && values.length > 0) out[name] = values.length === 1 ? values[0]! : values;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export const formatWhen = (when: unknown): string =>
  when && typeof when === 'object'
    ? Object.entries(when as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${[v].flat().map(String).join(', ')}`)
        .join('; ')
    : '';

function omitUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function paramToSpec(p: ParamRow): Record<string, unknown> {
  const when = parseWhen(p.when);
  if (p.type === 'choice') return omitUndefined({ type: 'choice', values: list(p.values), when });
  if (p.type === 'int') {
    return omitUndefined({
      type: 'int',
      min: num(p.min),
      max: num(p.max),
      step: num(p.step),
      log: p.log || undefined,
      gridPoints: num(p.gridPoints),
      when,
    });
  }
  return omitUndefined({
    type: p.type,
    min: num(p.min),
    max: num(p.max),
    gridPoints: num(p.gridPoints),
    when,
  });
}

function fixedToSpec(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return parse(text) ?? undefined;
  } catch {
    return text; // the schema then says fixed must be a map
  }
}

/** The spec object the form describes (not yet validated). */
export function formToSpec(f: SweepForm): Record<string, unknown> {
  const trainer =
    f.trainer === 'command'
      ? { command: f.command.split(/\s+/).filter((s) => s !== '') }
      : { name: f.trainer };
  const earlyStopping =
    f.earlyStopping === 'none'
      ? { type: 'none' }
      : f.earlyStopping === 'median'
        ? omitUndefined({
            type: 'median',
            nStartupTrials: num(f.medianStartup),
            nWarmupSteps: num(f.medianWarmup),
          })
        : omitUndefined({
            type: f.earlyStopping,
            minResource: num(f.minResource),
            maxResource: f.earlyStopping === 'hyperband' ? num(f.maxResource) : undefined,
            reductionFactor: num(f.reductionFactor),
          });
  const {
    tpe: extraTpe,
    pbt: extraPbt,
    ...extra
  } = f.extra as { tpe?: Record<string, unknown>; pbt?: Record<string, unknown> };
  // pbt runs population × intervals trials and replaces weak members itself: no maxTrials, no
  // early stopping (the schema refuses both for pbt).
  const pbt = f.algorithm === 'pbt';
  return omitUndefined({
    name: f.name,
    dataset: f.dataset,
    baseModel: f.baseModel,
    trainer,
    metric: { name: f.metricName, goal: f.metricGoal },
    algorithm: f.algorithm,
    tpe:
      f.algorithm === 'tpe' || f.algorithm === 'bohb'
        ? omitUndefined({ ...extraTpe, nStartupTrials: num(f.tpeStartup) })
        : extraTpe,
    pbt: pbt
      ? omitUndefined({
          ...extraPbt,
          population: num(f.pbtPopulation),
          interval: num(f.pbtInterval),
        })
      : extraPbt,
    earlyStopping: pbt ? undefined : earlyStopping,
    constraints: f.constraints.trim() ? parseConstraintLines(f.constraints) : undefined,
    maxTrials: pbt ? undefined : num(f.maxTrials),
    budget: f.gpuHours.trim() ? { gpuHours: num(f.gpuHours) } : undefined,
    maxParallel: num(f.maxParallel),
    seed: num(f.seed),
    fixed: fixedToSpec(f.fixed),
    ...extra,
    searchSpace: Object.fromEntries(f.params.map((p) => [p.name, paramToSpec(p)])),
  });
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const FORM_KEYS = new Set([
  'name',
  'dataset',
  'baseModel',
  'trainer',
  'metric',
  'algorithm',
  'earlyStopping',
  'constraints',
  'maxTrials',
  'budget',
  'maxParallel',
  'seed',
  'fixed',
  'searchSpace',
]);

/** The form for a spec object (e.g. parsed YAML); whatever has no field is kept in `extra`. */
export function specToForm(input: unknown): SweepForm {
  const s = asRecord(input);
  const d = defaultSweepForm();
  const trainer = asRecord(s.trainer);
  const metric = asRecord(s.metric);
  const es = asRecord(s.earlyStopping);
  const tpe = asRecord(s.tpe);
  const esType = text(es.type);
  const { nStartupTrials: tpeStartup, ...tpeRest } = tpe;
  const extra = Object.fromEntries(
    Object.entries(s).filter(([k]) => !FORM_KEYS.has(k) && k !== 'tpe' && k !== 'pbt'),
  );
  if (Object.keys(tpeRest).length > 0) extra.tpe = tpeRest;
  const { population, interval, ...pbtRest } = asRecord(s.pbt);
  if (Object.keys(pbtRest).length > 0) extra.pbt = pbtRest;
  // A budget with more than gpuHours (none today) stays as written (extra wins in formToSpec).
  const budget = asRecord(s.budget);
  if (Object.keys(budget).some((k) => k !== 'gpuHours')) extra.budget = s.budget;
  // Choices the form has no field for yet stay as written (extra wins in formToSpec).
  if (esType === 'hyperband') extra.earlyStopping = s.earlyStopping;
  const fixed = asRecord(s.fixed);
  return {
    name: text(s.name),
    dataset: text(s.dataset),
    baseModel: text(s.baseModel),
    trainer: Array.isArray(trainer.command)
      ? 'command'
      : trainer.name === 'synthetic'
        ? 'synthetic'
        : 'tfjs',
    command: Array.isArray(trainer.command) ? trainer.command.map(String).join(' ') : '',
    metricName: text(metric.name ?? 'val_acc'),
    metricGoal: metric.goal === 'minimize' ? 'minimize' : 'maximize',
    algorithm: FORM_ALGORITHMS.find((a) => a === s.algorithm) ?? 'tpe',
    tpeStartup: text(tpeStartup ?? d.tpeStartup),
    pbtPopulation: text(population ?? d.pbtPopulation),
    pbtInterval: text(interval ?? d.pbtInterval),
    earlyStopping:
      esType === 'median' || esType === 'hyperband'
        ? esType
        : esType === 'asha' || esType === 'successiveHalving'
          ? 'asha'
          : 'none',
    minResource: text(es.minResource ?? d.minResource),
    maxResource: text(es.maxResource),
    reductionFactor: text(es.reductionFactor ?? d.reductionFactor),
    medianStartup: text(es.nStartupTrials ?? d.medianStartup),
    medianWarmup: text(es.nWarmupSteps ?? d.medianWarmup),
    maxTrials: text(s.maxTrials),
    gpuHours: text(budget.gpuHours),
    maxParallel: text(s.maxParallel),
    seed: text(s.seed),
    constraints: formatConstraintLines(s.constraints),
    fixed: Object.keys(fixed).length > 0 ? stringify(fixed).trimEnd() : '',
    params: Object.entries(asRecord(s.searchSpace)).map(([name, raw]) => {
      const p = asRecord(raw);
      const type = PARAM_TYPES.find((t) => t === p.type) ?? 'uniform';
      return newParamRow({
        name,
        type,
        min: text(p.min),
        max: text(p.max),
        step: text(p.step),
        gridPoints: text(p.gridPoints),
        log: p.log === true,
        values: Array.isArray(p.values) ? p.values.map(String).join(', ') : '',
        when: formatWhen(p.when),
      });
    }),
    extra,
  };
}

export const formToYaml = (f: SweepForm): string => stringify(formToSpec(f));

/** Parsed YAML as a form, or the YAML error (the form then keeps its last good state). */
export function yamlToForm(source: string): { form: SweepForm } | { error: string } {
  try {
    const doc = parse(source) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      return { error: 'the YAML must be a map of spec fields (name:, dataset:, …)' };
    }
    return { form: specToForm(doc) };
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}

export interface SpecIssue {
  path: string;
  message: string;
}

/**
 * What the API would refuse, from the same schema: each issue with its field path
 * (`searchSpace.headLr.min`), plus the number of trials when the spec is valid.
 */
export function checkSpec(spec: unknown): { issues: SpecIssue[]; plannedTrials: number | null } {
  try {
    return { issues: [], plannedTrials: plannedTrialCount(parseLaunchSpec(spec)) };
  } catch (err) {
    if (err instanceof SpecError) return { issues: err.issues, plannedTrials: null };
    if (err instanceof GridError) {
      const [path, ...rest] = err.message.split(': ');
      return { issues: [{ path: path ?? '', message: rest.join(': ') }], plannedTrials: null };
    }
    throw err;
  }
}

/** Issues at `path` or below it (`searchSpace.headLr` gets `searchSpace.headLr.min`). */
export const issuesAt = (issues: SpecIssue[], path: string): SpecIssue[] =>
  issues.filter(
    (i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`),
  );
