/** A metric's curve: one value per epoch, epochs ascending. */
export interface EpochCurve {
  epochs: number[];
  values: number[];
}

/**
 * Appends a point to a curve. Points must come in (epoch, step) order: when a trainer reports
 * several steps in one epoch, the epoch keeps its last value.
 */
export function addToCurve(curve: EpochCurve, point: { epoch: number; value: number }): void {
  if (curve.epochs.at(-1) === point.epoch) curve.values[curve.values.length - 1] = point.value;
  else {
    curve.epochs.push(point.epoch);
    curve.values.push(point.value);
  }
}

/** One curve per metric name from points in (epoch, step) order. */
export function curvesByName(
  points: readonly { name: string; epoch: number; value: number }[],
): Map<string, EpochCurve> {
  const curves = new Map<string, EpochCurve>();
  for (const p of points) {
    const c = curves.get(p.name) ?? { epochs: [], values: [] };
    curves.set(p.name, c);
    addToCurve(c, p);
  }
  return curves;
}
