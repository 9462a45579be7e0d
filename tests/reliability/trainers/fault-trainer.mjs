#!/usr/bin/env node
// Test trainer for the reliability suite: the synthetic trainer (checkpoint every epoch, exact
// resume), except that trials whose number is 1 modulo `hangEvery` hang once on their first
// attempt after two epochs: no output, no exit, like a deadlocked data loader.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const inputPath = process.argv[process.argv.length - 1];
const input = JSON.parse(readFileSync(inputPath, 'utf8'));
const hangEvery = input.params?.hangEvery;
const number = Number(/-t(\d+)$/.exec(input.trialId)?.[1] ?? -1);
const marker = join(dirname(input.checkpointDir), 'hung-once');

if (typeof hangEvery === 'number' && number % hangEvery === 1 && !existsSync(marker)) {
  mkdirSync(input.checkpointDir, { recursive: true });
  writeFileSync(marker, String(process.pid));
  for (let epoch = 0; epoch < 2; epoch++) {
    const ckpt = join(input.checkpointDir, `epoch-${epoch}.json`);
    writeFileSync(ckpt, JSON.stringify({ epoch, values: { val_acc: 0.5 } }));
    process.stdout.write(
      JSON.stringify({ type: 'metric', epoch, step: epoch, values: { val_acc: 0.5 } }) + '\n',
    );
    process.stdout.write(JSON.stringify({ type: 'checkpoint', epoch, path: ckpt }) + '\n');
  }
  setInterval(() => {}, 1 << 30); // hang
} else {
  // Resolved at run time: the synthetic trainer is a script, not a package export.
  await import(new URL('../../../trainers/synthetic/train.mjs', import.meta.url).href);
}
