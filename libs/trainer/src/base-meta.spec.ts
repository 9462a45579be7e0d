import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BaseModelMeta } from '@retune/core';
import { resolveBaseMeta } from './base-meta';
import { BASE_META_FILE } from './bases/registry';

const tmp = mkdtempSync(join(tmpdir(), 'retune-base-meta-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const meta = (over: Partial<BaseModelMeta> = {}): BaseModelMeta => ({
  inputSize: [28, 28],
  channels: 1,
  preprocessing: { kind: 'symmetric' },
  classifierTop: false,
  ...over,
});

function baseDir(name: string, file?: unknown): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), '{}');
  if (file !== undefined) writeFileSync(join(dir, BASE_META_FILE), JSON.stringify(file));
  return join(dir, 'model.json');
}

describe('resolveBaseMeta', () => {
  const shape = [28, 28, 1] as const;

  it('input baseModelMeta > retune-base.json beside model.json > unit default', () => {
    const withFile = baseDir(
      'with-file',
      meta({ preprocessing: { kind: 'offset-scale', offset: 127, scale: 128 } }),
    );
    expect(resolveBaseMeta(meta(), withFile, shape)).toMatchObject({
      preprocessing: { kind: 'symmetric' },
      source: 'input',
    });
    expect(resolveBaseMeta(undefined, withFile, shape)).toMatchObject({
      preprocessing: { kind: 'offset-scale', offset: 127, scale: 128 },
      source: BASE_META_FILE,
    });
    expect(resolveBaseMeta(undefined, baseDir('plain'), shape)).toEqual({
      preprocessing: { kind: 'unit' },
      outputLayer: undefined,
      source: 'default',
    });
    expect(resolveBaseMeta(undefined, 'demo:scratch', shape).source).toBe('default');
  });

  it('names the file and field of invalid or inconsistent metadata', () => {
    const bad = baseDir('bad', { ...meta(), preprocessing: { kind: 'imagenet' } });
    expect(() => resolveBaseMeta(undefined, bad, shape)).toThrow(
      /retune-base.json is not valid base metadata \(preprocessing/,
    );
    expect(() => resolveBaseMeta(meta({ inputSize: [224, 224] }), bad, shape)).toThrow(
      /baseModelMeta says inputSize \[224, 224\].*takes \[28, 28, 1\]/,
    );
    expect(() => resolveBaseMeta(meta({ classifierTop: true }), bad, shape)).toThrow(
      /classifierTop is true but no outputLayer/,
    );
  });
});
