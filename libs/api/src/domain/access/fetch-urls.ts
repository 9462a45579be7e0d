import { lookup } from 'node:dns/promises';
import { addressRefusal, urlHost, urlRefusal } from '@retune/core';
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
  const early = urlRefusal(field, parsed, policy);
  if (early) throw new ForbiddenError(early);
  const host = urlHost(parsed);
  if (policy.allowedHosts.includes(host)) return;
  let addresses: string[];
  try {
    addresses = await resolveHost(host);
  } catch (err) {
    throw new ForbiddenError(
      `${field}: cannot resolve ${host} (${(err as Error).message}): a URL must name a reachable public host`,
    );
  }
  const refusal = addressRefusal(field, host, addresses);
  if (refusal) throw new ForbiddenError(refusal);
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}
