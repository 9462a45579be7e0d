import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGpuSampler } from './gpu-sampler';
import { listGpus } from './nvidia-smi';
import type { GpuSample } from './nvidia-smi';

// A stand-in nvidia-smi on PATH that prints recorded output and counts its calls: these tests
// check the sampler's lifecycle; none of them pretends that a GPU exists.
let dir: string;
let savedPath: string | undefined;
const calls = () => fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').length;

function fakeNvidiaSmi(recorded: string) {
  const script = `#!/bin/sh\necho "$*" >> "${dir}/calls"\nprintf '${recorded}'\n`;
  fs.writeFileSync(path.join(dir, 'nvidia-smi'), script, { mode: 0o755 });
}

const waitFor = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-nvidia-smi-'));
  fs.writeFileSync(path.join(dir, 'calls'), '');
  savedPath = process.env['PATH'];
  process.env['PATH'] = `${dir}${path.delimiter}${savedPath ?? ''}`;
});
afterEach(() => {
  process.env['PATH'] = savedPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('GPU sampler', () => {
  it('samples the trial GPU while it runs and not after stop()', async () => {
    fakeNvidiaSmi('42, 2048\\n');
    const samples: GpuSample[] = [];
    const sampler = startGpuSampler({
      gpuIndex: 3,
      intervalMs: 20,
      onSample: (s) => samples.push(s),
    });
    await waitFor(() => samples.length >= 3);
    await sampler.stop();
    const after = calls();
    const seen = samples.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(calls()).toBe(after);
    expect(samples.length).toBe(seen);
    expect(samples[0]).toEqual({ utilPercent: 42, memoryUsedMb: 2048 });
    expect(fs.readFileSync(path.join(dir, 'calls'), 'utf8')).toContain('-i 3');
  });

  it('skips readings nvidia-smi cannot make', async () => {
    fakeNvidiaSmi('[N/A], [N/A]\\n');
    const samples: GpuSample[] = [];
    const sampler = startGpuSampler({
      gpuIndex: 0,
      intervalMs: 20,
      onSample: (s) => samples.push(s),
    });
    await waitFor(() => calls() >= 2);
    await sampler.stop();
    expect(samples).toEqual([]);
  });

  it('lists the host GPUs through nvidia-smi, and none without it', async () => {
    fakeNvidiaSmi('0, NVIDIA H200\\n');
    expect(await listGpus()).toEqual([{ index: 0, name: 'NVIDIA H200' }]);
    fs.rmSync(path.join(dir, 'nvidia-smi'));
    process.env['PATH'] = dir;
    expect(await listGpus()).toEqual([]);
  });
});
