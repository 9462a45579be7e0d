import { createInterface } from 'node:readline';
import { parseServeRequest, type TrainerInput } from '@retune/core';
import type { LoadedTf } from '../backend';
import { tfDeviceFacts } from '../device-facts';
import type { Emitter } from '../emit';
import { trainTrial } from '../run';
import { createTrialCache, type TrialCache } from './trial-cache';

/**
 * One trial of a serving trainer: the same protocol lines as a process per trial (device facts
 * first), with datasets and bases from the cache. Throws on failure; the caller then exits, as
 * a failed trial ends the process (docs/trainer-reuse.md).
 */
export async function serveTrial(
  input: TrainerInput,
  ctx: { emit: Emitter; loaded: LoadedTf; cache: TrialCache },
): Promise<void> {
  const { emit, loaded } = ctx;
  if (loaded.fallbackReason) {
    emit.log('warn', `running on the slow pure-JS "cpu" backend: ${loaded.fallbackReason}`);
  }
  emit.device(tfDeviceFacts(loaded));
  await trainTrial(input, emit, loaded, ctx.cache);
}

/**
 * Serve mode: trials one per stdin line until `stop` or stdin closes. Stdin closing mid-trial
 * means the worker is gone: the process ends at once rather than train for nobody.
 */
export async function serveTrials(ctx: {
  emit: Emitter;
  loaded: LoadedTf;
  fail: (err: unknown, code?: number) => never;
  cache?: TrialCache;
}): Promise<void> {
  const cache = ctx.cache ?? createTrialCache();
  process.stdin.on('end', () => process.exit(0));
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const parsed = parseServeRequest(line);
    if (!parsed.ok) ctx.fail(parsed.error, 2);
    if (parsed.request.type === 'stop') return;
    try {
      await serveTrial(parsed.request.input, { ...ctx, cache });
    } catch (err) {
      ctx.emit.log('error', err instanceof Error ? err.message : String(err));
      ctx.fail(err);
    }
  }
}
