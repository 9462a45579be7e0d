/**
 * Fixtures for the bad-inputs suite: a database holding one finished sweep (the data that must
 * survive every bad input), image folders with an empty or unreadable class, and a tfjs base
 * model whose input is not an image.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FakeSweepGateway, launchSweep } from '@retune/api';
import { trialId } from '@retune/core';
import { createDb, createRepositories, type Db, type Repositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';

/** Starts nothing: records what it was asked to start. */
export const recordingGateway = () => new FakeSweepGateway();

export interface Stored {
  dir: string;
  dbUrl: string;
  db: Db;
  repos: Repositories;
  existingSweepId: string;
}

/** A migrated SQLite database with one completed two-trial sweep and its metric points. */
export async function storedSweep(): Promise<Stored> {
  const dir = mkdtempSync(join(tmpdir(), 'retune-bad-inputs-'));
  const dbUrl = `file:${join(dir, 'retune.db')}`;
  await applyMigrations(dbUrl);
  const db = createDb(dbUrl);
  const repos = createRepositories(db);
  const sweep = await launchSweep(
    { repos, temporal: recordingGateway() },
    {
      name: 'precious sweep',
      dataset: 'demo:mnist-5-9',
      baseModel: 'demo:scratch',
      algorithm: 'grid',
      trainer: { name: 'synthetic' },
      searchSpace: { headLr: { type: 'choice', values: [0.01, 0.001] } },
    },
  );
  const trials = [0, 1].map((n) => ({
    trialId: trialId(sweep.id, n),
    number: n,
    params: { headLr: n ? 0.001 : 0.01 },
  }));
  await repos.trials.ensure(sweep.id, trials);
  for (const t of trials) {
    await repos.trials.markRunning(t.trialId, { worker: 'w', slot: 0, attempt: 1 });
    await repos.metrics.write(t.trialId, [
      { epoch: 0, step: 0, name: 'val_acc', value: 0.5 + t.number / 10 },
    ]);
    await repos.trials.finish(t.trialId, {
      status: 'completed',
      objective: 0.5 + t.number / 10,
      values: { val_acc: 0.5 + t.number / 10 },
    });
  }
  await repos.sweeps.finish(sweep.id, {
    status: 'completed',
    bestTrialId: trials[1]!.trialId,
    bestValue: 0.6,
  });
  return { dir, dbUrl, db, repos, existingSweepId: sweep.id };
}

/** Everything stored about one sweep, for before/after comparison. */
export async function snapshot(db: Db, sweepId: string): Promise<unknown> {
  return {
    sweep: await db.sweep.findUnique({ where: { id: sweepId } }),
    trials: await db.trial.findMany({ where: { sweepId }, orderBy: { number: 'asc' } }),
    points: await db.metricPoint.findMany({
      where: { trial: { sweepId } },
      orderBy: { id: 'asc' },
    }),
    sweepCount: await db.sweep.count(),
  };
}

async function png(path: string, value: number): Promise<void> {
  await sharp(Buffer.alloc(28 * 28, value), { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toFile(path);
}

/** An image folder: class `good` has images, class `empty` has none. */
export async function folderWithEmptyClass(root: string): Promise<string> {
  mkdirSync(join(root, 'good'), { recursive: true });
  mkdirSync(join(root, 'empty'), { recursive: true });
  for (let i = 0; i < 4; i++) await png(join(root, 'good', `${i}.png`), i * 40);
  return root;
}

/** An image folder whose class `broken` holds only files that are not images. */
export async function folderWithCorruptClass(root: string): Promise<string> {
  mkdirSync(join(root, 'good'), { recursive: true });
  mkdirSync(join(root, 'broken'), { recursive: true });
  for (let i = 0; i < 4; i++) await png(join(root, 'good', `${i}.png`), i * 40);
  for (let i = 0; i < 3; i++) writeFileSync(join(root, 'broken', `${i}.png`), 'not a png at all');
  return root;
}

/** A valid tfjs LayersModel whose input is a 10-vector, not an image. */
export function vectorInputModel(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const zeros = { class_name: 'Zeros', config: {} };
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({
      format: 'layers-model',
      generatedBy: 'retune reliability suite',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'vector_model',
          layers: [
            {
              class_name: 'Dense',
              config: {
                name: 'dense',
                units: 2,
                activation: 'linear',
                use_bias: true,
                kernel_initializer: zeros,
                bias_initializer: zeros,
                trainable: true,
                batch_input_shape: [null, 10],
                dtype: 'float32',
              },
            },
          ],
        },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [
        {
          paths: ['weights.bin'],
          weights: [
            { name: 'dense/kernel', shape: [10, 2], dtype: 'float32' },
            { name: 'dense/bias', shape: [2], dtype: 'float32' },
          ],
        },
      ],
    }),
  );
  writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(22 * 4));
  return join(dir, 'model.json');
}
