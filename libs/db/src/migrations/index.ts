export { applyMigrations, loadMigrationList } from './apply-migrations';
export { createMigration, diffModels, PROVIDERS } from './create-migration';
export { modelsPath } from './paths';
