#!/usr/bin/env node
// Reusable no-op trainer for orchestration benchmarks (bench:overhead's main row): sleeps
// NOOP_SECONDS (default 1) per trial, then reports a result. With RETUNE_TRAINER_MODE=serve it
// takes trials one per stdin line in one process (docs/trainer-reuse.md), as Ray Tune's
// reuse_actors=True does; otherwise it runs one trial (the input file, last argument, is ignored).
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const ms = Number(process.env.NOOP_SECONDS ?? '1') * 1000;
const result = `${JSON.stringify({ type: 'result', values: { val_acc: 0.5 } })}\n`;
// bench:overhead's breakdown: when each trial reached the trainer and when its result left.
const timing = process.env.NOOP_TIMING_FILE;

async function serve() {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Stdin closing means the worker is gone (or asks us to stop): end at once, even mid-trial.
  lines.on('close', () => process.exit(0));
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line);
    if (request.type === 'stop') process.exit(0);
    if (request.type !== 'trial') {
      process.stderr.write(`unknown serve request type: ${request.type}\n`);
      process.exit(2);
    }
    const received = Date.now();
    await sleep(ms);
    process.stdout.write(result);
    if (timing) appendFileSync(timing, `${request.input?.trialId} ${received} ${Date.now()}\n`);
  }
}

if (process.env.RETUNE_TRAINER_MODE === 'serve') {
  await serve();
} else {
  await sleep(ms);
  process.stdout.write(result);
}
