/** Final val_acc of the synthetic trainer for these params (see objective.mjs). */
export function finalValAcc(params: Record<string, unknown>): number;
/** Trainable weights of the pretend model (a second objective; see objective.mjs). */
export function trainableParams(params: Record<string, unknown>): number;
