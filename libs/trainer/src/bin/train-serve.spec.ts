import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseTrainerLine,
  serveTrialLine,
  type TrainerInput,
  type TrainerMessage,
} from '@retune/core';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const tmp = mkdtempSync(join(tmpdir(), 'retune-train-serve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const input = (n: number, params: TrainerInput['params'] = {}): TrainerInput => ({
  trialId: `t${n}`,
  baseModel: 'demo:scratch',
  dataset: 'demo:mnist-5-9',
  checkpointDir: join(tmp, `ck-${n}`),
  seed: 3,
  device: { kind: 'cpu' },
  params: { epochs: 1, batchSize: 16, units: 8, trainPerClass: 4, valPerClass: 4, ...params },
});

describe('train.ts in serve mode', () => {
  it('takes trials one per stdin line, ends each with a result, and fails a bad one by exiting', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'train.ts'), join(tmp, 'marker')],
      { cwd: repoRoot, env: { ...process.env, RETUNE_TRAINER_MODE: 'serve' } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const trial = async (t: TrainerInput) => {
      child.stdin.write(serveTrialLine(t));
      const messages: TrainerMessage[] = [];
      for (;;) {
        const next = await lines.next();
        if (next.done) return messages;
        const parsed = parseTrainerLine(next.value, messages.length + 1);
        if (parsed.kind === 'error') throw new Error(parsed.error);
        if (parsed.kind === 'message') messages.push(parsed.message);
        if (parsed.kind === 'message' && parsed.message.type === 'result') return messages;
      }
    };
    const first = await trial(input(0));
    const second = await trial(input(1, { headLr: 0.003 }));
    for (const messages of [first, second]) {
      expect(messages[0]).toMatchObject({ type: 'log', device: { backend: 'tensorflow' } });
      expect(messages.map((m) => m.type).slice(-3)).toEqual(['metric', 'checkpoint', 'result']);
    }
    // A trial that fails ends the process with the reason on stderr, as a process per trial does.
    const failed = await trial({ ...input(2), dataset: join(tmp, 'missing') });
    expect(failed.at(-1)).toMatchObject({ type: 'log', level: 'error' });
    expect(await exited, stderr).toBe(1);
    expect(stderr).toMatch(/missing/);
  }, 120_000);
});
