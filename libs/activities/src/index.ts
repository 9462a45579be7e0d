export * from './create-activities';
export * from './control/control-activities';
export * from './trial/run-trial';
export * from './trial/slot-pool';
export * from './trial/metric-buffer';
export type * from './trial/types';
export * from './trainer-process/run-trainer-process';
