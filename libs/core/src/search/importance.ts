/**
 * Parameter importance, fANOVA-style (as Optuna's default FanovaImportanceEvaluator): fit a small
 * random forest to (params → objective), then for each tree split its prediction variance over
 * the search-space box (uniform measure) into main effects, one per param, and average the
 * fractions over the trees. Importances are normalised to sum to 1.
 *
 * Encoding: numbers in their sampling domain (log for loguniform / log ints; ints on
 * [min - step/2, max + step/2]); a choice with k values is ordinal, value i ↦ i + 0.5 on [0, k],
 * so each value gets an equal share of the box and a tree isolates any value with two splits.
 * Only params set in every trial used are evaluated (conditional params that were inactive in
 * some trial are left out, as Optuna does with its intersection search space).
 */
import { mulberry32, type Rng } from './prng';
import type { ParamSpec, ParamValue, SearchSpace } from '../spec/search-space';
import type { FrozenTrial } from './types';

export interface ForestOptions {
  nTrees?: number;
  maxDepth?: number;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  seed?: number;
}

type Node =
  | { leaf: true; value: number }
  | { leaf: false; feature: number; threshold: number; left: Node; right: Node };

export interface RandomForest {
  readonly trees: readonly Node[];
  predict(x: readonly number[]): number;
}

function buildTree(
  X: readonly (readonly number[])[],
  y: readonly number[],
  idx: number[],
  depth: number,
  o: Required<ForestOptions>,
  rng: Rng,
): Node {
  const n = idx.length;
  let mean = 0;
  for (const i of idx) mean += y[i]!;
  mean /= n;
  if (depth >= o.maxDepth || n < o.minSamplesSplit || idx.every((i) => y[i] === y[idx[0]!])) {
    return { leaf: true, value: mean };
  }
  const d = X[0]!.length;
  // Features in a random order so that equal gains are broken by the seed, not the column order.
  const features = Array.from({ length: d }, (_, j) => j);
  for (let k = d - 1; k > 0; k--) {
    const r = Math.floor(rng() * (k + 1));
    [features[k], features[r]] = [features[r]!, features[k]!];
  }
  let best: { gain: number; feature: number; threshold: number } | null = null;
  let total = 0;
  let totalSq = 0;
  for (const i of idx) {
    total += y[i]!;
    totalSq += y[i]! * y[i]!;
  }
  const parentSse = totalSq - (total * total) / n;
  for (const j of features) {
    const sorted = [...idx].sort((a, b) => X[a]![j]! - X[b]![j]!);
    let ls = 0;
    let lsq = 0;
    for (let k = 0; k < n - 1; k++) {
      const yi = y[sorted[k]!]!;
      ls += yi;
      lsq += yi * yi;
      const xa = X[sorted[k]!]![j]!;
      const xb = X[sorted[k + 1]!]![j]!;
      const nl = k + 1;
      const nr = n - nl;
      if (xa === xb || nl < o.minSamplesLeaf || nr < o.minSamplesLeaf) continue;
      const rs = total - ls;
      const rsq = totalSq - lsq;
      const sse = lsq - (ls * ls) / nl + (rsq - (rs * rs) / nr);
      const gain = parentSse - sse;
      if (gain > 1e-12 * Math.max(1, Math.abs(parentSse)) && (!best || gain > best.gain)) {
        best = { gain, feature: j, threshold: (xa + xb) / 2 };
      }
    }
  }
  if (!best) return { leaf: true, value: mean };
  const left = idx.filter((i) => X[i]![best.feature]! <= best.threshold);
  const right = idx.filter((i) => X[i]![best.feature]! > best.threshold);
  return {
    leaf: false,
    feature: best.feature,
    threshold: best.threshold,
    left: buildTree(X, y, left, depth + 1, o, rng),
    right: buildTree(X, y, right, depth + 1, o, rng),
  };
}

function predictTree(node: Node, x: readonly number[]): number {
  let n = node;
  while (!n.leaf) n = x[n.feature]! <= n.threshold ? n.left : n.right;
  return n.value;
}

/** A bagged regression forest (every feature considered at each split), deterministic per seed. */
export function fitRandomForest(
  X: readonly (readonly number[])[],
  y: readonly number[],
  opts: ForestOptions = {},
): RandomForest {
  if (X.length === 0 || X.length !== y.length)
    throw new Error('need as many rows as targets (> 0)');
  const o: Required<ForestOptions> = {
    nTrees: opts.nTrees ?? 64,
    maxDepth: opts.maxDepth ?? 64,
    minSamplesSplit: opts.minSamplesSplit ?? 2,
    minSamplesLeaf: opts.minSamplesLeaf ?? 1,
    seed: opts.seed ?? 0,
  };
  const rng = mulberry32(o.seed);
  const trees: Node[] = [];
  for (let t = 0; t < o.nTrees; t++) {
    const idx = Array.from({ length: X.length }, () => Math.floor(rng() * X.length));
    trees.push(buildTree(X, y, idx, 0, o, rng));
  }
  return {
    trees,
    predict: (x) => trees.reduce((s, tr) => s + predictTree(tr, x), 0) / trees.length,
  };
}

interface Leaf {
  box: [number, number][];
  value: number;
}

function leaves(node: Node, box: [number, number][], out: Leaf[]): Leaf[] {
  if (node.leaf) {
    out.push({ box, value: node.value });
    return out;
  }
  const [lo, hi] = box[node.feature]!;
  const t = Math.min(hi, Math.max(lo, node.threshold));
  const left = box.map((b) => [...b] as [number, number]);
  left[node.feature] = [lo, t];
  const right = box.map((b) => [...b] as [number, number]);
  right[node.feature] = [t, hi];
  leaves(node.left, left, out);
  leaves(node.right, right, out);
  return out;
}

/**
 * Per feature, the fraction of the tree's variance (over the uniform box `domain`) explained by
 * that feature alone; null when the tree is constant on the box.
 */
export function treeMainEffects(node: Node, domain: readonly [number, number][]): number[] | null {
  const ls = leaves(
    node,
    domain.map((b) => [...b] as [number, number]),
    [],
  ).filter((l) => l.box.every(([a, b]) => b > a));
  const width = domain.map(([a, b]) => b - a);
  const frac = ls.map((l) => l.box.reduce((p, [a, b], j) => p * ((b - a) / width[j]!), 1));
  const f0 = ls.reduce((s, l, i) => s + frac[i]! * l.value, 0);
  const total = ls.reduce((s, l, i) => s + frac[i]! * (l.value - f0) ** 2, 0);
  if (!(total > 1e-300)) return null;
  return domain.map(([lo, hi], j) => {
    const cuts = [...new Set([lo, hi, ...ls.flatMap((l) => l.box[j]!)])].sort((a, b) => a - b);
    let variance = 0;
    for (let k = 0; k < cuts.length - 1; k++) {
      const a = cuts[k]!;
      const b = cuts[k + 1]!;
      let m = 0;
      for (let i = 0; i < ls.length; i++) {
        const [la, lb] = ls[i]!.box[j]!;
        if (la <= a && b <= lb) m += (ls[i]!.value * frac[i]!) / ((lb - la) / width[j]!);
      }
      variance += ((b - a) / width[j]!) * (m - f0) ** 2;
    }
    return variance / total;
  });
}

function encode(p: ParamSpec): { domain: [number, number]; x: (v: ParamValue) => number } {
  switch (p.type) {
    case 'choice':
      return {
        domain: [0, p.values.length],
        x: (v) => p.values.findIndex((c) => c === v) + 0.5,
      };
    case 'uniform':
      return { domain: [p.min, p.max], x: (v) => v as number };
    case 'loguniform':
      return { domain: [Math.log(p.min), Math.log(p.max)], x: (v) => Math.log(v as number) };
    case 'int': {
      const top = p.min + Math.floor((p.max - p.min) / p.step) * p.step;
      return p.log
        ? {
            domain: [Math.log(p.min - 0.5), Math.log(top + 0.5)],
            x: (v) => Math.log(v as number),
          }
        : { domain: [p.min - p.step / 2, top + p.step / 2], x: (v) => v as number };
    }
  }
}

function validValue(p: ParamSpec, v: ParamValue | undefined): boolean {
  if (v === undefined) return false;
  if (p.type === 'choice') return p.values.some((c) => c === v);
  return typeof v === 'number' && v >= p.min && v <= p.max;
}

export interface ImportanceOptions extends ForestOptions {
  /** Which objective (index into values) to explain; default 0. */
  objective?: number;
  /** Restrict to these params (each must be set in every completed trial). */
  params?: readonly string[];
}

/**
 * Importance of each param for the objective over the completed trials (finite values only),
 * normalised to sum to 1 and ordered from most to least important. A degenerate case (every
 * tree constant) gives equal shares. Needs at least two usable trials and one param.
 */
export function paramImportances(
  trials: readonly FrozenTrial[],
  space: SearchSpace,
  opts: ImportanceOptions = {},
): Record<string, number> {
  const k = opts.objective ?? 0;
  const used = trials.filter((t) => t.state === 'completed' && Number.isFinite(t.values?.[k]));
  if (used.length < 2) throw new Error('parameter importance needs at least 2 completed trials');
  const names = (opts.params ?? Object.keys(space)).filter((name) => {
    const p = space[name];
    if (!p) throw new Error(`unknown parameter "${name}"`);
    const everywhere = used.every((t) => validValue(p, t.params[name]));
    if (!everywhere && opts.params)
      throw new Error(`"${name}" is not set in every completed trial`);
    return everywhere;
  });
  if (names.length === 0) throw new Error('no parameter is set in every completed trial');
  const enc = names.map((n) => encode(space[n]!));
  const X = used.map((t) => enc.map((e, j) => e.x(t.params[names[j]!]!)));
  const y = used.map((t) => t.values![k]!);
  const forest = fitRandomForest(X, y, opts);
  const domain = enc.map((e) => e.domain);
  const sums = new Array<number>(names.length).fill(0);
  for (const tree of forest.trees) {
    const fx = treeMainEffects(tree, domain);
    if (fx) fx.forEach((v, j) => (sums[j] = sums[j]! + v));
  }
  const total = sums.reduce((s, v) => s + v, 0);
  const shares = sums.map((v) => (total > 0 ? v / total : 1 / names.length));
  const order = names
    .map((_, j) => j)
    .sort((a, b) => shares[b]! - shares[a]! || (names[a]! < names[b]! ? -1 : 1));
  return Object.fromEntries(order.map((j) => [names[j]!, shares[j]!]));
}
