export { createDb, type Db } from './client';
export { providerOf, type Provider } from './provider';
export { NotFoundError } from './errors';
export * from './repositories';
export * from './migrations';
