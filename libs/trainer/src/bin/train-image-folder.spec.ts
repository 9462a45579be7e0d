import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainerLine, type TrainerInput, type TrainerMessage } from '@retune/core';
import { writeCorrupt, writeDigitFolder } from '../test-support/image-folder';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const tmp = mkdtempSync(join(tmpdir(), 'retune-trainer-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const data = join(tmp, 'digits');
const emptyClass = join(tmp, 'empty-class');

beforeAll(async () => {
  await writeDigitFolder(data, { five: [5, 10], six: [6, 10], nine: [9, 10] });
  writeCorrupt(join(data, 'six', 'corrupt.jpg'));
  await writeDigitFolder(join(data, 'test'), { five: [5, 3], nine: [9, 3] }, 50);
  await writeDigitFolder(emptyClass, { five: [5, 3] });
  mkdirSync(join(emptyClass, 'six'));
});

function train(dataset: string, n: number): Promise<{ code: number; messages: TrainerMessage[] }> {
  const input: TrainerInput = {
    trialId: `f${n}`,
    baseModel: 'demo:scratch',
    dataset,
    checkpointDir: join(tmp, `ck-${n}`),
    seed: 5,
    device: { kind: 'cpu' },
    params: { epochs: 2, batchSize: 8, units: 16, valFraction: 0.2 },
  };
  const path = join(tmp, `input-${n}.json`);
  writeFileSync(path, JSON.stringify(input));
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(here, 'train.ts'), path],
      { cwd: repoRoot, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const messages: TrainerMessage[] = [];
        for (const [i, line] of stdout.split('\n').entries()) {
          const r = parseTrainerLine(line, i + 1);
          if (r.kind === 'error') return fail(new Error(`${r.error}\nstderr: ${stderr}`));
          if (r.kind === 'message') messages.push(r.message);
        }
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, messages });
      },
    );
  });
}

describe('train.ts on an image folder', () => {
  it('trains, reports skipped images, per-class and test accuracy; empty classes fail', async () => {
    const [ok, bad] = await Promise.all([train(data, 0), train(emptyClass, 1)]);
    expect(ok.code, JSON.stringify(ok.messages)).toBe(0);
    const types = ok.messages.map((m) => m.type);
    expect(types.filter((t) => t === 'metric')).toHaveLength(2);
    expect(types.at(-1)).toBe('result');
    const warns = ok.messages.filter((m) => m.type === 'log' && m.level === 'warn');
    expect(warns.map((m) => m.type === 'log' && m.msg)).toEqual([
      expect.stringContaining(join(data, 'six', 'corrupt.jpg')),
    ]);
    const result = ok.messages.at(-1)!;
    if (result.type !== 'result') throw new Error('no result');
    expect(result.values['skipped_images']).toBe(1);
    expect(result.values['test_acc']).toBeGreaterThanOrEqual(0);
    expect(result.values['test_acc']).toBeLessThanOrEqual(1);
    for (const c of ['five', 'nine', 'six']) {
      expect(result.values[`val_acc_class_${c}`]).toBeGreaterThanOrEqual(0);
    }

    expect(bad.code).not.toBe(0);
    const errors = bad.messages.filter((m) => m.type === 'log' && m.level === 'error');
    expect(errors.map((m) => m.type === 'log' && m.msg)).toEqual([
      expect.stringContaining(`class folder ${join(emptyClass, 'six')} has no images`),
    ]);
    expect(bad.messages.some((m) => m.type === 'result')).toBe(false);
  });
});
