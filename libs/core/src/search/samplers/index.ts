export * from './sampler-config';
export * from './grid-sampler';
export * from './random-sampler';
export * from './tpe-sampler';
export * from './bohb-sampler';
export * from './tpe-split';
export * from './parzen';
export * from './create-sampler';
