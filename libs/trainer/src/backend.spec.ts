import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const backend = fileURLToPath(new URL('./backend.ts', import.meta.url));

function loadIn(env: Record<string, string>) {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import(${JSON.stringify(backend)}).then((m) => console.log(m.loadTf().backend))`,
    ],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  return { backend: r.stdout.trim().split('\n').at(-1), stderr: r.stderr };
}

// Where `npm run setup:gpu` installed the GPU build, a GPU slot loads it (gpu-build.spec.ts).
let gpuBuild = false;
try {
  createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu/package.json');
  gpuBuild = true;
} catch {
  gpuBuild = false;
}

describe('loadTf', () => {
  it.skipIf(gpuBuild)(
    'on a GPU slot without a usable tfjs-node-gpu, says so and uses native TensorFlow on the CPU',
    () => {
      const r = loadIn({ CUDA_VISIBLE_DEVICES: '0' });
      expect(r.backend).toBe('tensorflow');
      expect(r.stderr).toMatch(/a GPU is visible but @tensorflow\/tfjs-node-gpu is not usable/);
    },
  );

  it('on a CPU slot goes straight to the native backend, silently', () => {
    const r = loadIn({ CUDA_VISIBLE_DEVICES: '' });
    expect(r.backend).toBe('tensorflow');
    expect(r.stderr).not.toMatch(/tfjs-node-gpu|WARNING/);
  });
});
