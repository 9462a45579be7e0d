import { lookup } from 'node:dns/promises';
import { ApplicationFailure } from '@temporalio/common';
import { urlRefusalAfterLookup, type UrlRules } from '@retune/core';

/**
 * Checks a URL again just before the worker calls it (the API checked it when the schedule was
 * written, but a name can resolve elsewhere later, and schedules stored before the rules were
 * never checked). A refusal fails without retries and names the rule and the setting.
 */
export async function assertOutboundUrl(
  field: string,
  url: string,
  rules: UrlRules,
  resolveHost: (host: string) => Promise<string[]> = async (host) =>
    (await lookup(host, { all: true })).map((a) => a.address),
): Promise<void> {
  const refusal = await urlRefusalAfterLookup(field, new URL(url), rules, resolveHost);
  if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'UrlRefused');
}
