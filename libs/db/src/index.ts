export { createDb, type Db } from './client';
export { providerOf, type Provider } from './provider';
export { RowNotFoundError } from './errors';
export * from './repositories';
// Migrations (schema engine, files on disk) live at '@retune/db/migrations', so bundled
// apps such as the dashboard never pull them in.
