export * from './types';
export * from './pareto';
export * from './samplers';
export * from './pruners';
export * from './study';
export * from './importance';
