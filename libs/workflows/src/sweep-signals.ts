import { defineQuery, defineSignal } from '@temporalio/workflow';
import { QUERIES, SIGNALS, type SweepProgress, type TrialReport } from '@retune/core';

export const cancelSignal = defineSignal(SIGNALS.cancel);
export const pauseSignal = defineSignal(SIGNALS.pause);
export const resumeSignal = defineSignal(SIGNALS.resume);
export const extendBudgetSignal = defineSignal<[number]>(SIGNALS.extendBudget);
export const extendGpuBudgetSignal = defineSignal<[number]>(SIGNALS.extendGpuBudget);
export const retryFailedSignal = defineSignal(SIGNALS.retryFailed);
export const trialReportSignal = defineSignal<[TrialReport]>(SIGNALS.trialReport);
export const progressQuery = defineQuery<SweepProgress>(QUERIES.progress);
