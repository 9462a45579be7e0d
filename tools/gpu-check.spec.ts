import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Only the path that needs no GPU: gpu-check.sh must refuse clearly, run nothing, and exit 2.
// Its GPU path runs on a GPU host only (docs/gpu.md).
const script = fileURLToPath(new URL('./gpu-check.sh', import.meta.url));

function runWith(nvidiaSmi: string | null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpu-check-'));
  for (const tool of ['dirname', 'head', 'sed', 'seq', 'mktemp', 'rm']) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find(fs.existsSync);
    if (found) fs.symlinkSync(found, path.join(dir, tool));
  }
  if (nvidiaSmi !== null)
    fs.writeFileSync(path.join(dir, 'nvidia-smi'), nvidiaSmi, { mode: 0o755 });
  const r = spawnSync('/bin/bash', [script], { env: { PATH: dir, HOME: dir }, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

describe('tools/gpu-check.sh without a GPU', () => {
  it('says there is no nvidia-smi and exits 2', () => {
    const r = runWith(null);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no NVIDIA GPU here \(nvidia-smi is not on PATH\).*Nothing was run/);
  });

  it('says nvidia-smi found no usable GPU (its own words) and exits 2', () => {
    const failing =
      "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'\nexit 9\n";
    const r = runWith(failing);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no usable NVIDIA GPU here \(nvidia-smi: NVIDIA-SMI has failed/);
  });
});
