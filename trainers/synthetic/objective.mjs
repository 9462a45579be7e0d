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

/**
 * `landscape: shifting-lr`: a task where the best learning rate changes during training, so a
 * schedule beats any constant rate (population-based training's home ground). Each epoch adds a
 * gain in (0, 1] that peaks when log10(lr) matches a best value moving from −1 (first epoch) to
 * −3 (last); val_acc after an epoch is 0.1 + (finalValAcc of the other params − 0.1) · skill /
 * epochs, where skill is the gains so far (kept in the checkpoint, so a resumed run carries it).
 * The learning rate is `lr`, else `headLr`.
 */
export function shiftingLrGain(params, epoch, epochs) {
  const lr = typeof params.lr === 'number' ? params.lr : params.headLr;
  if (typeof lr !== 'number') return 0;
  const best = -1 - (2 * epoch) / Math.max(1, epochs - 1);
  const d = Math.log10(Math.max(lr, 1e-12)) - best;
  return Math.exp((-d * d) / (2 * 0.25));
}

export function shiftingLrValAcc(params, skill, epochs) {
  const { lr: _lr, headLr: _headLr, ...others } = params;
  return 0.1 + (finalValAcc(others) - 0.1) * (skill / epochs);
}
