import { lookup } from 'node:dns/promises';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  MAX_REDIRECTS,
  timedOutRefusal,
  tooLargeRefusal,
  tooManyRedirectsRefusal,
  urlRefusalAfterLookup,
  type DownloadLimits,
  type UrlRules,
} from '@retune/core';

/** A download the rules refused: the message names the rule and the setting that changes it. */
export class DownloadRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadRefusedError';
  }
}

export interface DownloadPolicy extends DownloadLimits, UrlRules {
  /** The host lookup (tests stub it); defaults to the system resolver. */
  resolveHost?: (host: string) => Promise<string[]>;
}

const systemResolve = async (host: string) =>
  (await lookup(host, { all: true })).map((a) => a.address);

/** One download's shared budget: bytes left and the deadline's abort signal. */
interface Budget {
  url: string;
  bytesLeft: number;
  signal: AbortSignal;
  policy: DownloadPolicy;
}

/** GET `url`, checking the URL rules on it and again on every redirect it answers with. */
async function guardedGet(url: URL, budget: Budget): Promise<Response> {
  const resolveHost = budget.policy.resolveHost ?? systemResolve;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const refusal = await urlRefusalAfterLookup('baseModel', url, budget.policy, resolveHost);
    if (refusal) throw new DownloadRefusedError(refusal);
    const res = await fetch(url, { redirect: 'manual', signal: budget.signal });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return res;
    await res.body?.cancel();
    url = new URL(location, url);
  }
  throw new DownloadRefusedError(tooManyRedirectsRefusal(budget.url));
}

/** Streams one file to disk within the budget; a refused or failed file is removed. */
async function fetchToFile(url: URL, file: string, budget: Budget): Promise<void> {
  const res = await guardedGet(url, budget);
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`GET ${url.href} answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > budget.bytesLeft) {
    await res.body.cancel();
    throw new DownloadRefusedError(tooLargeRefusal(budget.url, budget.policy.maxBytes));
  }
  await mkdir(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      budget.bytesLeft -= chunk.byteLength;
      if (budget.bytesLeft < 0) {
        throw new DownloadRefusedError(tooLargeRefusal(budget.url, budget.policy.maxBytes));
      }
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  } catch (err) {
    out.destroy();
    await rm(file, { force: true });
    throw err;
  }
}

/**
 * Downloads a tfjs model (model.json and the weight files it lists) from `url` into `dir`, with
 * the worker's URL rules applied to every request and redirect, and the whole model held to
 * the size and time limits. Returns model.json's path. On any refusal or failure nothing
 * partial is left in `dir`.
 */
export async function downloadModel(
  url: string,
  dir: string,
  policy: DownloadPolicy,
): Promise<string> {
  const signal = AbortSignal.timeout(policy.timeoutMs);
  const budget: Budget = { url, bytesLeft: policy.maxBytes, signal, policy };
  const root = resolve(dir);
  const jsonPath = join(root, 'model.json');
  try {
    await fetchToFile(new URL(url), jsonPath, budget);
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as {
      weightsManifest?: { paths?: string[] }[];
    };
    for (const group of json.weightsManifest ?? []) {
      for (const p of group.paths ?? []) {
        const local = resolve(root, p);
        if (!local.startsWith(root + sep))
          throw new Error(`weights path "${p}" leaves the model folder`);
        await fetchToFile(new URL(p, url), local, budget);
      }
    }
    return jsonPath;
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    if (signal.aborted) throw new DownloadRefusedError(timedOutRefusal(url, policy.timeoutMs));
    throw err;
  }
}
