/**
 * Migrations without Prisma's native engine (it cannot be downloaded everywhere):
 *   tsx tools/migrate.ts deploy [--url URL]        apply committed migrations (default: DATABASE_URL)
 *   tsx tools/migrate.ts create <name> [--from REF] diff the models at git REF (default HEAD)
 *                                                  against prisma/models.prisma, for every provider
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { applyMigrations, createMigration, modelsPath } from '@retune/db/migrations';
import { loadToolsEnv, repoRoot } from './env';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function modelsAt(ref: string): string | null {
  try {
    return execFileSync('git', ['show', `${ref}:prisma/models.prisma`], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch {
    return null; // not committed at that ref: diff from an empty database
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'deploy') {
    const url = flag(args, '--url') ?? loadToolsEnv().DATABASE_URL;
    const applied = await applyMigrations(url);
    console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
  } else if (command === 'create') {
    const name = args.find((a) => !a.startsWith('--') && a !== flag(args, '--from'));
    if (!name) throw new Error('usage: tsx tools/migrate.ts create <name> [--from <git-ref>]');
    const from = modelsAt(flag(args, '--from') ?? 'HEAD');
    const written = await createMigration(name, from, readFileSync(modelsPath, 'utf8'));
    console.log(
      written.length
        ? written.map((d) => `wrote ${relative(repoRoot, d)}/migration.sql`).join('\n')
        : 'no changes',
    );
  } else {
    throw new Error(
      'usage: tsx tools/migrate.ts deploy [--url URL] | create <name> [--from <git-ref>]',
    );
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
