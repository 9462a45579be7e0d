import type { SweepSpec } from './sweep-spec';

/** Spec fields added after sweeps were first stored: a stored spec may lack them. */
type LaterFields =
  'objectives' | 'constraints' | 'earlyStopping' | 'maxRetries' | 'heartbeatTimeoutSeconds';

/** A sweep spec as stored by any version of Retune (running workflows replay these). */
export type StoredSweepSpec = Omit<SweepSpec, LaterFields> & Partial<Pick<SweepSpec, LaterFields>>;

/**
 * Fills the fields a spec stored by an older version lacks with the values those versions
 * behaved as (the schema's defaults). Apply once, where a stored spec enters; nothing else
 * re-derives these. Fields that changed default meaning (tpe.constantLiar) are left alone, so
 * an old running sweep keeps sampling as it did.
 */
export function withStoredSpecDefaults(spec: StoredSweepSpec): SweepSpec {
  return {
    ...spec,
    objectives: spec.objectives ?? [],
    constraints: spec.constraints ?? [],
    earlyStopping: spec.earlyStopping ?? { type: 'nop' },
    maxRetries: spec.maxRetries ?? 2,
    heartbeatTimeoutSeconds: spec.heartbeatTimeoutSeconds ?? 30,
  };
}
