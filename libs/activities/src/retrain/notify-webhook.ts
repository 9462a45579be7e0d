import { ApplicationFailure } from '@temporalio/common';
import type { RetrainNotification } from '@retune/core';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * POSTs one notification. A 5xx, 429 or network error throws (Temporal retries with backoff);
 * another 4xx will not get better by retrying, so it fails without retries.
 */
export async function postWebhook(
  fetchFn: FetchLike,
  url: string,
  body: RetrainNotification,
  timeoutMs = 10_000,
): Promise<{ status: number }> {
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'retune-webhook' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
    // A redirect could lead past the address rules checked for `url`.
    redirect: 'manual',
  });
  if (res.ok) return { status: res.status };
  const message = `webhook ${url} answered HTTP ${res.status}`;
  if (res.status >= 500 || res.status === 429) throw new Error(message);
  throw ApplicationFailure.nonRetryable(message, 'WebhookRejected');
}
