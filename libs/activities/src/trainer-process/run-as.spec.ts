import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainerMessage } from '@retune/core';
import { handOver } from './run-as';
import { runTrainerProcess } from './run-trainer-process';

// Switching users needs root (or CAP_SETUID); CI and dev containers run tests as root.
const isRoot = process.getuid?.() === 0;
const nobody = { user: 'nobody', uid: 65534, gid: 65534 };

describe.skipIf(!isRoot)('trainer processes as another user (needs root)', () => {
  it('runs the trainer as the configured user, in a folder handed over to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retune-run-as-'));
    mkdirSync(join(dir, 'checkpoints'));
    writeFileSync(join(dir, 'input.json'), '{}');
    await handOver(dir, nobody);
    expect(statSync(join(dir, 'checkpoints')).uid).toBe(nobody.uid);
    expect(statSync(join(dir, 'input.json')).uid).toBe(nobody.uid);

    const messages: TrainerMessage[] = [];
    const script = `
      require('fs').writeFileSync(${JSON.stringify(join(dir, 'checkpoints', 'c.json'))}, '{}');
      console.log(JSON.stringify({ type: 'log', msg: process.getuid() + ':' + process.getgid() }));`;
    const result = await runTrainerProcess({
      command: [process.execPath, '-e', script],
      env: { PATH: process.env['PATH'] },
      signal: new AbortController().signal,
      onMessage: (m) => {
        messages.push(m);
      },
      runAs: nobody,
    });
    expect(result).toMatchObject({ kind: 'exited', exitCode: 0 });
    expect(messages).toEqual([{ type: 'log', level: 'info', msg: '65534:65534' }]);
  });
});
