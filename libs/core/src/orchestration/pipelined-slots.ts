/**
 * Pipelined slots (docs/pipelined-slots.md): the error type a waiting runTrial fails with when
 * it gives its place on a GPU worker back (every place there is taken while a slot is free, and
 * it waits for a trial that has not started anywhere). The sweep workflow schedules the same
 * trial again, behind the same predecessor; nothing is counted.
 */
export const TRIAL_DEFERRED_ERROR = 'TrialDeferred';
