export * from './schedule-spec';
export * from './promotion';
export * from './candidate-spec';
export * from './contracts';
export * from './views';
export * from './temporal-schedule';
export * from './recorded-metrics';
