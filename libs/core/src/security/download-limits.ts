/**
 * Limits on what a worker-side download (a base model given as a URL) may cost: the whole model
 * (model.json and its weight files) must arrive within `maxBytes` and `timeoutMs`. Each refusal
 * names the setting that changes it.
 */
export const DOWNLOAD_MAX_MB_SETTING = 'RETUNE_DOWNLOAD_MAX_MB';
export const DOWNLOAD_TIMEOUT_SETTING = 'RETUNE_DOWNLOAD_TIMEOUT_S';
/** Redirects followed (each one re-checked against the URL rules). */
export const MAX_REDIRECTS = 5;

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
  maxBytes: 2048 * 1024 * 1024,
  timeoutMs: 600_000,
};

function positive(setting: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${setting}="${raw}" is not a positive number: unset it or give e.g. 512`);
  }
  return n;
}

/** The limits from the two settings (megabytes, seconds); unset means the defaults. */
export function downloadLimitsFrom(env: Record<string, string | undefined>): DownloadLimits {
  return {
    maxBytes: Math.round(
      positive(DOWNLOAD_MAX_MB_SETTING, env[DOWNLOAD_MAX_MB_SETTING], 2048) * 1024 * 1024,
    ),
    timeoutMs: Math.round(
      positive(DOWNLOAD_TIMEOUT_SETTING, env[DOWNLOAD_TIMEOUT_SETTING], 600) * 1000,
    ),
  };
}

export const tooLargeRefusal = (url: string, maxBytes: number): string =>
  `base model download from ${url} is larger than ${+(maxBytes / 1048576).toFixed(2)} MB (rule: downloads are size-limited): an admin raises ${DOWNLOAD_MAX_MB_SETTING} on the GPU workers, or register the model from a local copy`;

export const timedOutRefusal = (url: string, timeoutMs: number): string =>
  `base model download from ${url} took longer than ${Math.round(timeoutMs / 1000)} s (rule: downloads are time-limited): an admin raises ${DOWNLOAD_TIMEOUT_SETTING} on the GPU workers, or use a faster or local copy`;

export const tooManyRedirectsRefusal = (url: string): string =>
  `base model download from ${url} redirected more than ${MAX_REDIRECTS} times (rule: at most ${MAX_REDIRECTS} redirects): give the final URL`;
