import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './env';

/**
 * The layering rules must bite: each case is an import the architecture forbids, linted as if
 * it were in the named file. (Runs under nx, which caches the project graph the rule reads.)
 */
const eslint = new ESLint({ cwd: repoRoot });

async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${file}` });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layering lint rules', () => {
  it('core may not import other libs, Node, Prisma or Temporal', async () => {
    expect(
      await ruleIdsFor(
        'libs/core/src/bad.ts',
        `import { createDb } from '@retune/db';\nexport const x = createDb;`,
      ),
    ).toContain('@nx/enforce-module-boundaries');
    for (const mod of ['node:fs', 'path', '@prisma/client', '@temporalio/workflow']) {
      expect(
        await ruleIdsFor(
          'libs/core/src/bad.ts',
          `import * as m from '${mod}';\nexport const x = m;`,
        ),
      ).toContain('@typescript-eslint/no-restricted-imports');
    }
  });

  it('core spec/ may not import search/, and stays pure', async () => {
    expect(
      await ruleIdsFor(
        'libs/core/src/spec/bad.ts',
        `import { Study } from '../search/study';\nexport const x = Study;`,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await ruleIdsFor(
        'libs/core/src/spec/bad.ts',
        `import * as m from 'node:fs';\nexport const x = m;`,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await ruleIdsFor(
        'libs/core/src/search/ok.ts',
        `import { paramOrder } from '../spec/conditions';\nexport const x = paramOrder;`,
      ),
    ).toEqual([]);
  });

  it('db may not import upward (api, activities)', async () => {
    expect(
      await ruleIdsFor(
        'libs/db/src/bad.ts',
        `import { launchSweep } from '@retune/api';\nexport const x = launchSweep;`,
      ),
    ).toContain('@nx/enforce-module-boundaries');
  });

  it('api may not import the workers or activities', async () => {
    expect(
      await ruleIdsFor(
        'libs/api/src/bad.ts',
        `import { createActivities } from '@retune/activities';\nexport const x = createActivities;`,
      ),
    ).toContain('@nx/enforce-module-boundaries');
  });

  it('workflows import activities by type only and use no Node APIs', async () => {
    expect(
      await ruleIdsFor(
        'libs/workflows/src/bad.ts',
        `import { createActivities } from '@retune/activities';\nexport const x = createActivities;`,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
    expect(
      await ruleIdsFor(
        'libs/workflows/src/ok.ts',
        `import type { TrialActivities } from '@retune/activities';\nexport type X = TrialActivities;`,
      ),
    ).toEqual([]);
    expect(
      await ruleIdsFor(
        'libs/workflows/src/bad.ts',
        `import { readFileSync } from 'node:fs';\nexport const x = readFileSync;`,
      ),
    ).toContain('@typescript-eslint/no-restricted-imports');
  });

  it('only env.ts reads process.env', async () => {
    expect(
      await ruleIdsFor('libs/api/src/bad.ts', `export const url = process.env.DATABASE_URL;`),
    ).toContain('no-restricted-syntax');
    expect(
      await ruleIdsFor('apps/worker/src/env.ts', `export const url = process.env.DATABASE_URL;`),
    ).toEqual([]);
  });
});
