// The synthetic trainer's known objective, shared with the search-efficiency benchmark.
// Known optimum: headLr = 1e-2, baseLr = 1e-3, freezeDepth = 2, dropout = 0.3,
// augment = "light" → val_acc = 0.95.

/** Penalties are zero at the optimum; each knob that is absent costs nothing. */
export function finalValAcc(params) {
  let acc = 0.95;
  const lg = (x) => Math.log10(Math.max(x, 1e-12));
  if (typeof params.headLr === 'number') acc -= 0.08 * (lg(params.headLr) + 2) ** 2;
  if (typeof params.lr === 'number') acc -= 0.08 * (lg(params.lr) + 2) ** 2;
  if (typeof params.baseLr === 'number') acc -= 0.04 * (lg(params.baseLr) + 3) ** 2;
  if (typeof params.freezeDepth === 'number') acc -= 0.03 * (params.freezeDepth - 2) ** 2;
  if (typeof params.dropout === 'number') acc -= 0.5 * (params.dropout - 0.3) ** 2;
  if (params.augment !== undefined)
    acc -= { none: 0.03, light: 0, heavy: 0.05 }[params.augment] ?? 0.05;
  return Math.min(1, Math.max(0.05, acc));
}

/**
 * A second objective that conflicts with accuracy: a base of 6 layers × 10,000 weights, minus the
 * frozen ones, plus a 1,290-weight head. Freezing more saves weights but (past 2) costs accuracy.
 */
export function trainableParams(params) {
  const depth = typeof params.freezeDepth === 'number' ? params.freezeDepth : 0;
  return Math.max(0, 6 - Math.min(6, depth)) * 10_000 + 1_290;
}
