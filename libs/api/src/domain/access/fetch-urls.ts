import { lookup } from 'node:dns/promises';
import { urlHost, urlRefusalAfterLookup } from '@retune/core';
import { ForbiddenError } from '../errors';
import type { AccessPolicy } from './access-policy';

/**
 * Refuses a URL a server would fetch (a base model, a webhook) unless it is https (or http to an
 * allowlisted host) and every address its host resolves to is public (or the host allowlisted).
 */
export async function checkFetchUrl(
  field: string,
  url: string,
  policy: AccessPolicy,
  resolveHost: (host: string) => Promise<string[]> = defaultResolve,
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ForbiddenError(`${field}: "${url}" is not a URL`);
  }
  let refusal: string | null;
  try {
    refusal = await urlRefusalAfterLookup(field, parsed, policy, resolveHost);
  } catch (err) {
    throw new ForbiddenError(
      `${field}: cannot resolve ${urlHost(parsed)} (${(err as Error).message}): a URL must name a reachable public host`,
    );
  }
  if (refusal) throw new ForbiddenError(refusal);
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}
