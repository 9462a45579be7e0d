import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseTrainerLine } from '@retune/core';
import { renderTable } from '../render/table';
import { CliError } from '../errors';
import {
  describeMeta,
  layersOf,
  metaFromOptions,
  softmaxWarning,
  type MetaOptions,
} from './base-model-meta';
import type { CliContext } from './context';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new CliError(
      `base model name "${name}": use lowercase letters, digits, . _ - (max 63)`,
      2,
    );
  }
}

/** The input shape a tfjs model.json declares (its first batch_input_shape / batchInputShape). */
export function inputShapeOf(modelJson: unknown): (number | null)[] | null {
  const stack: unknown[] = [modelJson];
  while (stack.length) {
    const node = stack.pop();
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'batch_input_shape' || key === 'batchInputShape') && Array.isArray(value)) {
          return value as (number | null)[];
        }
        stack.push(value);
      }
    }
  }
  return null;
}

/** Limits on a downloaded model.json (the weights stay where they are). */
const MODEL_JSON_MAX_BYTES = 64 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** GETs a URL as text, giving up past `maxBytes` or `timeoutMs` (docs/security.md). */
export async function fetchLimited(url: string, maxBytes: number, timeoutMs: number) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error(`${declared} bytes is over the ${maxBytes}-byte limit`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`more than the ${maxBytes}-byte limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readModelJson(location: string): Promise<unknown> {
  try {
    if (/^https?:\/\//.test(location)) {
      return JSON.parse(await fetchLimited(location, MODEL_JSON_MAX_BYTES, DOWNLOAD_TIMEOUT_MS));
    }
    return JSON.parse(await readFile(location, 'utf8'));
  } catch (err) {
    throw new CliError(
      `cannot read a tfjs model.json at ${location}: ${(err as Error).message}`,
      2,
    );
  }
}

async function register(
  ctx: CliContext,
  name: string,
  path: string,
  source: string,
  metaOptions: MetaOptions = {},
): Promise<number> {
  const json = await readModelJson(path);
  const shape = inputShapeOf(json);
  if (!shape) throw new CliError(`${path} declares no input shape: is it a tfjs LayersModel?`, 2);
  const layers = layersOf(json);
  const meta = metaFromOptions(metaOptions, shape, layers);
  const warning = softmaxWarning(layers, metaOptions.outputLayer);
  if (warning) console.error(`warning: ${warning}`);
  const id = 'bm_' + randomBytes(6).toString('hex');
  const model = await ctx.repos.baseModels.register({
    id,
    name,
    path,
    inputShape: shape,
    source,
    ...(meta ? { meta } : {}),
  });
  console.log(
    `registered base model ${model.name} (${JSON.stringify(model.inputShape)}) → ${model.path}`,
  );
  if (meta) console.log(`metadata: ${JSON.stringify(meta)}`);
  console.log(`use it in a sweep spec as: baseModel: ${model.name}`);
  return 0;
}

export async function registerCommand(
  ctx: CliContext,
  name: string,
  location: string,
  metaOptions: MetaOptions = {},
): Promise<number> {
  checkName(name);
  const path = /^https?:\/\//.test(location)
    ? location
    : resolve(location.replace(/^file:\/\//, ''));
  return register(ctx, name, path, 'registered', metaOptions);
}

/** `retune pretrain`: trains the demo base CNN on the source task, then registers it. */
export async function pretrainCommand(
  ctx: CliContext,
  repoRoot: string,
  name: string,
  opts: { epochs: string; dataset: string; seed: string },
): Promise<number> {
  checkName(name);
  if (await ctx.repos.baseModels.findByName(name)) {
    throw new CliError(`a base model named "${name}" is already registered: pick another name`, 2);
  }
  const outDir = join(repoRoot, '.data/models', name);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  const args = ['--import', tsx, join(repoRoot, 'libs/trainer/src/bin/pretrain.ts'), outDir];
  args.push('--epochs', opts.epochs, '--dataset', opts.dataset, '--seed', opts.seed);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let artifact: string | undefined;
  let buffer = '';
  let lineNumber = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const parsed = parseTrainerLine(buffer.slice(0, i), ++lineNumber);
      buffer = buffer.slice(i + 1);
      if (parsed.kind !== 'message') continue;
      const m = parsed.message;
      if (m.type === 'metric') {
        const v = Object.entries(m.values).map(([k, x]) => `${k} ${x.toFixed(4)}`);
        console.log(`epoch ${m.epoch}: ${v.join(' · ')}`);
      } else if (m.type === 'result') {
        artifact = m.artifact;
      }
    }
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  if (code !== 0 || !artifact) throw new CliError(`pretraining failed (exit ${code})`, 1);
  return register(
    ctx,
    name,
    artifact,
    `pretrain on ${opts.dataset}, ${opts.epochs} epochs, seed ${opts.seed}`,
  );
}

export async function listBaseModelsCommand(ctx: CliContext): Promise<number> {
  const models = await ctx.repos.baseModels.list();
  if (models.length === 0) {
    console.log('No base models yet. Pretrain one: npm run retune -- pretrain my-base');
    return 0;
  }
  console.log(
    renderTable(
      ['name', 'input', 'preprocessing', 'source', 'path'],
      models.map((m) => [
        m.name,
        JSON.stringify(m.inputShape),
        m.meta ? describeMeta(m.meta) : '[0,1] (assumed)',
        m.source,
        m.path,
      ]),
    ),
  );
  return 0;
}
