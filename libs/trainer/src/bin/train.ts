#!/usr/bin/env node
// The built-in tfjs transfer-learning trainer. Usage:
//   node --import tsx libs/trainer/src/bin/train.ts <input.json>
// (or the path in RETUNE_TRAINER_INPUT). Prints only trainer-protocol JSON lines on stdout.
// With RETUNE_TRAINER_MODE=serve it takes trials one per stdin line (docs/trainer-reuse.md).
import { existsSync, readFileSync } from 'node:fs';
import { trainerInputSchema, type TrainerInput } from '@retune/core';
import { loadTf } from '../backend';
import { tfDeviceFacts } from '../device-facts';
import { createEmitter } from '../emit';
import { readEnv } from '../env';
import { trainTrial } from '../run';
import { serveTrials } from '../serve/serve';
import { fail, reserveStdoutForProtocol } from './stdout';

const writeLine = reserveStdoutForProtocol();
const emit = createEmitter(writeLine);

function readInput(): TrainerInput {
  const path =
    process.argv.length > 2 ? process.argv[process.argv.length - 1] : readEnv().inputPath;
  if (!path) fail('trainer', 'pass the trainer input JSON path as the last argument', 2);
  if (!existsSync(path)) fail('trainer', `input file not found: ${path}`, 2);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    fail('trainer', `input ${path} is not JSON: ${(err as Error).message}`, 2);
  }
  const parsed = trainerInputSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    fail('trainer', `invalid input ${path}: ${issues.join('; ')}`, 2);
  }
  return parsed.data;
}

if (readEnv().serve) {
  await serveTrials({ emit, loaded: loadTf(), fail: (err, code) => fail('trainer', err, code) });
  process.exit(0);
}
const input = readInput();
const loaded = loadTf();
if (loaded.fallbackReason) {
  emit.log('warn', `running on the slow pure-JS "cpu" backend: ${loaded.fallbackReason}`);
}
emit.device(tfDeviceFacts(loaded));
try {
  await trainTrial(input, emit, loaded);
} catch (err) {
  emit.log('error', err instanceof Error ? err.message : String(err));
  fail('trainer', err);
}
