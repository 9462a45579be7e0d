// Config for Prisma's own CLI (`prisma migrate deploy --config prisma/postgresql.config.ts`), where the
// native engine is available. Retune applies the same folders with tools/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'postgresql',
  migrations: { path: 'postgresql/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
