// Config for Prisma's own CLI (`prisma migrate deploy --config prisma/sqlite.config.ts`), where the
// native engine is available. Retune applies the same folders with tools/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'sqlite',
  migrations: { path: 'sqlite/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
