/**
 * Keeps at most `max` points of a curve: evenly strided, always with the first and last point
 * (the last is what the trial ended on, the thing a reader compares).
 */
export function downsampleCurve(
  epochs: number[],
  values: number[],
  max: number,
): { epochs: number[]; values: number[] } {
  const n = epochs.length;
  if (n <= max || max < 2) return { epochs, values };
  const outE: number[] = [];
  const outV: number[] = [];
  const stride = (n - 1) / (max - 1);
  for (let i = 0; i < max; i++) {
    const j = Math.round(i * stride);
    outE.push(epochs[j]!);
    outV.push(values[j]!);
  }
  return { epochs: outE, values: outV };
}
