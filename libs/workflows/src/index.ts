export { sweepWorkflow, cancelSignal, progressQuery } from './sweep-workflow';
