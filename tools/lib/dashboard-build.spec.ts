import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../env';
import { dashboardBuildNeeded, hashSources, workspaceClosure } from './dashboard-build';

describe('dashboardBuildNeeded', () => {
  it('reuses a build whose stamp matches the sources, and rebuilds otherwise', () => {
    expect(dashboardBuildNeeded({ exists: true, stamp: 'abc\n' }, 'abc')).toEqual({
      build: false,
      why: 'its sources are unchanged',
    });
    expect(dashboardBuildNeeded({ exists: true, stamp: 'abc' }, 'def').build).toBe(true);
    expect(dashboardBuildNeeded({ exists: true, stamp: undefined }, 'abc').build).toBe(true);
    expect(dashboardBuildNeeded({ exists: false, stamp: 'abc' }, 'abc').build).toBe(true);
  });
});

describe('hashSources', () => {
  it('changes with a file’s content or name and ignores build output', () => {
    const root = mkdtempSync(join(tmpdir(), 'retune-hash-'));
    mkdirSync(join(root, 'app/src'), { recursive: true });
    mkdirSync(join(root, 'app/.next'), { recursive: true });
    writeFileSync(join(root, 'app/src/page.tsx'), 'a');
    const first = hashSources(root, ['app']);
    writeFileSync(join(root, 'app/.next/BUILD_ID'), 'x');
    expect(hashSources(root, ['app'])).toBe(first);
    writeFileSync(join(root, 'app/src/page.tsx'), 'b');
    const second = hashSources(root, ['app']);
    expect(second).not.toBe(first);
    writeFileSync(join(root, 'app/src/other.tsx'), '');
    expect(hashSources(root, ['app'])).not.toBe(second);
    expect(hashSources(root, ['app'], 'NEXT_PUBLIC_X=1')).not.toBe(hashSources(root, ['app']));
  });
});

describe('workspaceClosure', () => {
  it('follows the dashboard’s workspace dependencies', () => {
    const dirs = workspaceClosure(repoRoot, 'apps/dashboard');
    expect(dirs[0]).toBe('apps/dashboard');
    expect(dirs).toEqual(expect.arrayContaining(['libs/core', 'libs/db', 'libs/api']));
  });
});
