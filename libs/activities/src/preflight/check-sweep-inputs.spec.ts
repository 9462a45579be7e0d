import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
