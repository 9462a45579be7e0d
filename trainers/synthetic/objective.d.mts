/** Final val_acc of the synthetic trainer for these params (see objective.mjs). */
export function finalValAcc(params: Record<string, unknown>): number;
/** Trainable weights of the pretend model (a second objective; see objective.mjs). */
export function trainableParams(params: Record<string, unknown>): number;
/** `landscape: shifting-lr`: one epoch's gain in (0, 1] for these params (see objective.mjs). */
export function shiftingLrGain(
  params: Record<string, unknown>,
  epoch: number,
  epochs: number,
): number;
/** `landscape: shifting-lr`: val_acc after gains summing to `skill` (see objective.mjs). */
export function shiftingLrValAcc(
  params: Record<string, unknown>,
  skill: number,
  epochs: number,
): number;
