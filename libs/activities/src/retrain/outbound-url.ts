import { lookup } from 'node:dns/promises';
import { ApplicationFailure } from '@temporalio/common';
import { addressRefusal, urlHost, urlRefusal, type UrlRules } from '@retune/core';

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
  const parsed = new URL(url);
  const early = urlRefusal(field, parsed, rules);
  const host = urlHost(parsed);
  const refusal =
    early ??
    (rules.allowedHosts.includes(host)
      ? null
      : addressRefusal(field, host, await resolveHost(host)));
  if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'UrlRefused');
}
