import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepInputProblems } from './check-sweep-inputs';

function folder(layout: Record<string, string[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'retune-preflight-'));
  for (const [dir, files] of Object.entries(layout)) {
    mkdirSync(join(root, dir), { recursive: true });
    for (const f of files) writeFileSync(join(root, dir, f), '');
  }
  return root;
}

function modelJson(shape: (number | null)[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'retune-preflight-model-'));
  const topology = {
    class_name: 'Model',
    config: {
      layers: [{ name: 'in', class_name: 'InputLayer', config: { batch_input_shape: shape } }],
      input_layers: [['in', 0, 0]],
    },
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: topology }));
  return dir;
}

describe('sweepInputProblems', () => {
  it('passes good inputs and leaves refs the trainer resolves to it', async () => {
    const data = folder({ cat: ['a.png'], dog: ['b.jpg'] });
    expect(await sweepInputProblems(data, modelJson([null, 64, 64, 3]))).toEqual([]);
    expect(await sweepInputProblems('demo:mnist-5-9', 'demo:mnist-0-4-cnn')).toEqual([]);
    expect(await sweepInputProblems('demo:mnist-5-9', 'https://example.org/model.json')).toEqual(
      [],
    );
  });

  it('names a missing folder, an empty class and an unknown demo dataset', async () => {
    const missing = join(tmpdir(), 'retune-no-such-folder');
    expect(await sweepInputProblems(missing, 'demo:scratch')).toEqual([
      expect.stringMatching(/^dataset: the folder .*retune-no-such-folder does not exist/),
    ]);
    const data = folder({
      'train/cat': ['a.png'],
      'train/dog': ['notes.txt'],
      'val/cat': ['c.png'],
    });
    const problems = await sweepInputProblems(data, 'demo:scratch');
    expect(problems).toHaveLength(2); // train/dog has no images; val/dog is missing
    expect(problems[0]).toMatch(/class folder .*train\/dog has no images/);
    expect(await sweepInputProblems('demo:mnist', 'demo:scratch')).toEqual([
      expect.stringMatching(/unknown demo dataset "demo:mnist" \(use one of demo:mnist-0-4/),
    ]);
  });

  it('names a missing base model.json and one that takes no images', async () => {
    expect(await sweepInputProblems('demo:mnist-5-9', '/nonexistent/model.json')).toEqual([
      expect.stringMatching(/^baseModel: \/nonexistent\/model.json does not exist/),
    ]);
    const [problem] = await sweepInputProblems('demo:mnist-5-9', modelJson([null, 10]));
    expect(problem).toMatch(/^baseModel: .*model.json: its input \[batch, 10\] is not an image/);
  });
});

describe('multi-task preflight', () => {
  const csvFolder = (header: string) => {
    const root = folder({ train: ['a.png'] });
    writeFileSync(join(root, 'train', 'labels.csv'), `${header}\na.png,x,y\n`);
    return root;
  };

  it('names a task the dataset lacks, with the tasks it has', async () => {
    const data = csvFolder('file,item,group');
    expect(await sweepInputProblems(data, 'demo:scratch', { tasks: ['item', 'group'] })).toEqual(
      [],
    );
    expect(await sweepInputProblems(data, 'demo:scratch', { tasks: ['item', 'colour'] })).toEqual([
      expect.stringMatching(/^tasks: "colour" is not a task of .* \(its tasks: item, group\)/),
    ]);
    expect(
      await sweepInputProblems('demo:mnist-multitask', 'demo:scratch', { tasks: ['item'] }),
    ).toEqual(['tasks: "item" is not a task of demo:mnist-multitask (its tasks: digit, parity)']);
  });

  it('asks for tasks on a multi-task dataset, and refuses them on a single-task one', async () => {
    expect(await sweepInputProblems('demo:fashion-multitask', 'demo:scratch')).toEqual([
      expect.stringMatching(/^tasks: demo:fashion-multitask has several labels per image/),
    ]);
    expect(
      await sweepInputProblems('demo:mnist-5-9', 'demo:scratch', { tasks: ['digit'] }),
    ).toEqual([expect.stringMatching(/^tasks: demo:mnist-5-9 has one label per image/)]);
    expect(
      await sweepInputProblems(csvFolder('path,item'), 'demo:scratch', { tasks: ['item'] }),
    ).toEqual([expect.stringMatching(/^dataset: .*labels.csv: the header must be file,/)]);
  });

  it('refuses a shareDepth above a model.json base’s layers with weights', async () => {
    const base = modelJson([null, 28, 28, 1]);
    const json = JSON.parse(readFileSync(join(base, 'model.json'), 'utf8'));
    json.weightsManifest = [
      { paths: [], weights: [{ name: 'conv/kernel' }, { name: 'bn/gamma' }, { name: 'bn/beta' }] },
    ];
    writeFileSync(join(base, 'model.json'), JSON.stringify(json));
    const mt = (maxShareDepth: number) => ({ tasks: ['digit'], maxShareDepth });
    expect(await sweepInputProblems('demo:mnist-multitask', base, mt(2))).toEqual([]);
    expect(await sweepInputProblems('demo:mnist-multitask', base, mt(3))).toEqual([
      expect.stringMatching(/^shareDepth: 3 is above the 2 layers with weights of .*: use 0\.\.2/),
    ]);
  });
});
