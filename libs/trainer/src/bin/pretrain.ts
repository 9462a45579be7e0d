#!/usr/bin/env node
// Pretrains the demo base CNN on the source task (digits 0–4) and saves the feature extractor
// (input → base_flatten) as a tfjs LayersModel. Usage:
//   node --import tsx libs/trainer/src/bin/pretrain.ts <outDir> [--epochs 3] [--seed 1]
//        [--train-per-class 300] [--dataset demo:mnist-0-4]
// Speaks the trainer protocol on stdout (metric lines, then a result whose artifact is the
// base model.json).
import { parseArgs } from 'node:util';
import { loadTf } from '../backend';
import { createEmitter } from '../emit';
import { pretrainBase } from '../pretrain';
import { fail, reserveStdoutForProtocol } from './stdout';

const writeLine = reserveStdoutForProtocol();
const emit = createEmitter(writeLine);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    epochs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    'train-per-class': { type: 'string', default: '300' },
    dataset: { type: 'string', default: 'demo:mnist-0-4' },
  },
});
const outDir = positionals[0];
if (!outDir) fail('pretrain', 'usage: pretrain.ts <outDir> [--epochs N] [--seed S]', 2);
const int = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n)) fail('pretrain', `--${name} must be an integer, got ${v}`, 2);
  return n;
};
const loaded = loadTf();
if (loaded.fallbackReason) {
  emit.log('warn', `running on the slow pure-JS "cpu" backend: ${loaded.fallbackReason}`);
}
try {
  await pretrainBase({
    outDir,
    dataset: values.dataset,
    epochs: int('epochs', values.epochs),
    seed: int('seed', values.seed),
    trainPerClass: int('train-per-class', values['train-per-class']),
    emit,
    backend: loaded.backend,
  });
} catch (err) {
  emit.log('error', err instanceof Error ? err.message : String(err));
  fail('pretrain', err);
}
