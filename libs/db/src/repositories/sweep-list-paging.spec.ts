import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSweepSpec } from '@retune/core';
import { createDb, type Db } from '../client';
import { applyMigrations } from '../migrations';
import { freshSqliteUrl } from '../test-support/databases';
import { createRepositories, type Repositories } from '.';

const spec = parseSweepSpec({
  name: 'paging',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:cnn',
  algorithm: 'grid',
  searchSpace: { headLr: { type: 'choice', values: [0.01] } },
});

let db: Db;
let repos: Repositories;

beforeAll(async () => {
  const url = freshSqliteUrl();
  await applyMigrations(url);
  db = createDb(url);
  repos = createRepositories(db);
  // Created in one burst: several share a createdAt, so the id tie-break is exercised too.
  for (let i = 0; i < 7; i++) {
    await repos.sweeps.create({ id: `sw_${i}`, name: `s${i}`, spec, plannedTrials: 1 });
  }
});

afterAll(async () => {
  await db?.$disconnect();
});

describe('sweeps.list paging', () => {
  it('pages through every sweep once, newest first, after the last id of each page', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    const pages: number[] = [];
    for (;;) {
      const page = await repos.sweeps.list({ limit: 3, ...(after ? { after } : {}) });
      pages.push(page.length);
      seen.push(...page.map((s) => s.id));
      if (page.length < 3) break;
      after = page.at(-1)!.id;
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual((await repos.sweeps.list({ limit: 100 })).map((s) => s.id));
    expect(new Set(seen).size).toBe(7);
  });
});
