import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Provider } from '../provider';

export const prismaDir = fileURLToPath(new URL('../../../../prisma/', import.meta.url));
export const migrationsDir = (provider: Provider) => join(prismaDir, provider, 'migrations');
export const schemaHeaderPath = (provider: Provider) => join(prismaDir, provider, 'schema.prisma');
export const modelsPath = join(prismaDir, 'models.prisma');
export const schemaFilter = { externalTables: [], externalEnums: [] };
