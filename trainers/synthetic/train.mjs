#!/usr/bin/env node
// Synthetic trainer: a deterministic stand-in for real training that speaks the Retune
// trainer protocol (JSON lines on stdout). Its final val_acc is a known function of the
// params, so tests and demos can check that a sweep finds the optimum. Not a model.
//
// Known optimum: headLr = 1e-2, baseLr = 1e-3, freezeDepth = 2, dropout = 0.3,
// augment = "light" → val_acc = 0.95.
// Control params (fixed in a spec): epochs (default 5), sleepMs per epoch (default 0),
// crashAtEpoch (exit 3 at that epoch, to exercise failure handling), landscape (`shifting-lr`:
// the best learning rate falls during training over `horizon` epochs, default epochs; the skill
// so far is kept in the checkpoint, so a run resumed with a new lr carries on from it).
// With RETUNE_TRAINER_MODE=serve it takes trials one per stdin line (docs/trainer-reuse.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finalValAcc, shiftingLrGain, shiftingLrValAcc, trainableParams } from './objective.mjs';

const emit = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function runTrial(input) {
  const p = input.params ?? {};
  const num = (name, fallback) => (typeof p[name] === 'number' ? p[name] : fallback);
  const epochs = Math.max(1, Math.floor(num('epochs', 5)));
  const sleepMs = num('sleepMs', 0);
  const crashAtEpoch = num('crashAtEpoch', -1);
  const target = finalValAcc(p);

  const shifting = p.landscape === 'shifting-lr';
  const horizon = Math.max(1, Math.floor(num('horizon', epochs)));
  let skill = 0;
  let startEpoch = 0;
  if (input.resumeFrom && existsSync(input.resumeFrom)) {
    const checkpoint = JSON.parse(readFileSync(input.resumeFrom, 'utf8'));
    startEpoch = checkpoint.epoch + 1;
    skill = checkpoint.skill ?? 0;
    emit({
      type: 'log',
      level: 'info',
      msg: `resumed from ${input.resumeFrom} at epoch ${startEpoch}`,
    });
  }
  mkdirSync(input.checkpointDir, { recursive: true });

  let best = -Infinity;
  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    if (sleepMs > 0) await sleep(sleepMs);
    if (epoch === crashAtEpoch) {
      process.stderr.write(`synthetic trainer: crashAtEpoch=${crashAtEpoch} reached\n`);
      process.exit(3);
    }
    const progress = 1 - Math.exp((-3 * (epoch + 1)) / epochs);
    skill += shifting ? shiftingLrGain(p, epoch, horizon) : 0;
    const valAcc = Number(
      (shifting
        ? shiftingLrValAcc(p, skill, horizon)
        : (target * (0.5 + 0.5 * progress)) / (0.5 + 0.5 * (1 - Math.exp(-3)))
      ).toFixed(6),
    );
    const values = {
      loss: Number((1.5 * (1 - progress) + (1 - target)).toFixed(6)),
      acc: Number(Math.min(1, valAcc + 0.02).toFixed(6)),
      val_loss: Number((1.6 * (1 - progress) + (1 - target)).toFixed(6)),
      val_acc: valAcc,
    };
    best = Math.max(best, valAcc);
    emit({ type: 'metric', epoch, step: epoch, values });
    const ckpt = join(input.checkpointDir, `epoch-${epoch}.json`);
    writeFileSync(ckpt, JSON.stringify({ epoch, values, ...(shifting ? { skill } : {}) }));
    emit({ type: 'checkpoint', epoch, path: ckpt });
  }
  emit({
    type: 'result',
    values: {
      // shifting-lr: the last epoch's accuracy (the skill so far), not a function of params alone.
      val_acc: Number((shifting ? shiftingLrValAcc(p, skill, horizon) : target).toFixed(6)),
      best_val_acc: Number(Math.max(best, shifting ? -Infinity : target).toFixed(6)),
      trainable_params: trainableParams(p),
    },
  });
}

/** Serve mode: one trial per request line, in order; stdin closing (the worker died) ends it. */
async function serve() {
  process.stdin.on('end', () => process.exit(0));
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line);
    if (request.type === 'stop') process.exit(0);
    await runTrial(request.input);
  }
}

if (process.env.RETUNE_TRAINER_MODE === 'serve') {
  await serve();
} else {
  const inputPath = process.argv[process.argv.length - 1];
  if (!inputPath || !existsSync(inputPath)) {
    process.stderr.write(
      `synthetic trainer: pass the trainer input JSON path as the last argument (got ${inputPath})\n`,
    );
    process.exit(2);
  }
  await runTrial(JSON.parse(readFileSync(inputPath, 'utf8')));
}
