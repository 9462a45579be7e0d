/** Final val_acc of the synthetic trainer for these params (see objective.mjs). */
export function finalValAcc(params: Record<string, unknown>): number;
