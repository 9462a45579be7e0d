export { sweepWorkflow, cancelSignal, progressQuery } from './sweep-workflow';
export { retrainWorkflow } from './retrain-workflow';
