import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, createRepositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import type { CliContext } from './context';
import { exportModel } from './model';

async function context(): Promise<CliContext> {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'retune-cli-')), 'cli.db')}`;
  await applyMigrations(url);
  const db = createDb(url);
  return { db, repos: createRepositories(db) } as unknown as CliContext;
}

describe('retune model export', () => {
  it('copies the artifact folder and writes a model card with lineage and metrics', async () => {
    const ctx = await context();
    const artifact = join(mkdtempSync(join(tmpdir(), 'retune-art-')), 'model');
    mkdirSync(artifact);
    writeFileSync(join(artifact, 'model.json'), '{"format":"layers-model"}');
    await ctx.repos.modelVersions.register({
      id: 'mv1',
      task: 'digits',
      artifact,
      metricName: 'val_acc',
      metricValue: 0.93,
      metrics: { val_acc: 0.93, val_loss: 0.2 },
      params: { headLr: 0.01 },
      baseModel: 'demo:cnn',
      dataset: '/data/digits',
      sweepId: 's1',
      trialId: 's1-t0',
    });
    const out = join(mkdtempSync(join(tmpdir(), 'retune-out-')), 'export');
    const r = await exportModel(ctx, 'mv1', out);
    expect(readFileSync(join(out, 'model', 'model.json'), 'utf8')).toContain('layers-model');
    const card = JSON.parse(readFileSync(r.card, 'utf8'));
    expect(card).toMatchObject({
      id: 'mv1',
      task: 'digits',
      version: 1,
      metric: { name: 'val_acc', value: 0.93 },
      metrics: { val_loss: 0.2 },
      lineage: { baseModel: 'demo:cnn', sweepId: 's1', trialId: 's1-t0', datasetSnapshot: null },
    });
    await expect(exportModel(ctx, 'nope', out)).rejects.toThrow(/not found/);
    await ctx.db.$disconnect();
  });

  it('refuses to export a version whose artifact is gone', async () => {
    const ctx = await context();
    await ctx.repos.modelVersions.register({
      id: 'mv1',
      task: 'digits',
      artifact: '/nonexistent/retune/model',
      metricName: 'val_acc',
      metricValue: null,
      metrics: {},
      params: {},
      baseModel: 'b',
      dataset: 'd',
    });
    await expect(exportModel(ctx, 'mv1', mkdtempSync(join(tmpdir(), 'o-')))).rejects.toThrow(
      /is gone/,
    );
    await ctx.db.$disconnect();
  });
});
