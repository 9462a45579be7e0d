/**
 * The sampler worker's `suggest` (samplers/optuna/retune_sampler) in one long-lived process,
 * over JSON lines (retune_sampler.stdio): Retune's gp/cmaes rows of bench:search ask it exactly
 * what a sweep workflow asks the worker's activity, without Temporal in between.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SuggestRequest, SuggestResponse } from '@retune/core';
import { repoRoot } from '@retune/worker';

type Reply = { ok: SuggestResponse } | { error: string };

export class SuggestSession {
  private readonly child;
  private readonly waiting: ((r: Reply) => void)[] = [];

  constructor(python: string) {
    this.child = spawn(python, ['-m', 'retune_sampler.stdio'], {
      cwd: join(repoRoot, 'samplers', 'optuna'),
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    createInterface({ input: this.child.stdout }).on('line', (line) =>
      this.waiting.shift()?.(JSON.parse(line) as Reply),
    );
    this.child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w({ error: `retune_sampler.stdio exited (${code})` });
    });
  }

  /** One request at a time (the bench runs trials sequentially). */
  async suggest(request: SuggestRequest): Promise<SuggestResponse> {
    const reply = new Promise<Reply>((resolve) => this.waiting.push(resolve));
    this.child.stdin.write(JSON.stringify(request) + '\n');
    const r = await reply;
    if ('error' in r) throw new Error(`suggest: ${r.error}`);
    return r.ok;
  }

  close(): void {
    this.child.stdin.end();
  }
}
