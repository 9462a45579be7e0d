// Generates the Prisma clients (SQLite and PostgreSQL) into libs/db/src/generated.
// PRISMA_SCHEMA_ENGINE_BINARY=/bin/false keeps `prisma generate` offline: with driver
// adapters the client needs no native engine, and none can be downloaded on every machine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const prisma = fileURLToPath(new URL('../node_modules/.bin/prisma', import.meta.url));

for (const provider of ['sqlite', 'postgresql']) {
  const r = spawnSync(prisma, ['generate', '--config', `prisma/${provider}.config.ts`], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (r.status !== 0) {
    console.error(`prisma generate failed for ${provider} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
