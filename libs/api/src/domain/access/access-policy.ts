import { delimiter, resolve } from 'node:path';
import { URL_ALLOWLIST_SETTING, type UrlRules } from '@retune/core';

export const DATA_ROOTS_SETTING = 'RETUNE_DATA_ROOTS';

/** Where API users' sweeps may read data from and which hosts they may make servers fetch. */
export interface AccessPolicy extends UrlRules {
  /** Absolute folders; dataset and base-model paths must lie under one (symlinks resolved). */
  dataRoots: string[];
}

/**
 * The policy of this process: RETUNE_DATA_ROOTS (folders separated by ":"; default the data
 * and work folders, RETUNE_DATA_DIR and RETUNE_WORK_DIR) and RETUNE_ALLOWED_HOSTS (comma
 * separated host names or IPs that may be fetched over http or at private addresses).
 */
export function accessPolicyFromEnv(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): AccessPolicy {
  const dataDir = env['RETUNE_DATA_DIR'] || resolve(cwd, '.data');
  const workDir = env['RETUNE_WORK_DIR'] || resolve(dataDir, 'work');
  const roots = env[DATA_ROOTS_SETTING]
    ? env[DATA_ROOTS_SETTING].split(delimiter).filter(Boolean)
    : [dataDir, workDir];
  const allowedHosts = (env[URL_ALLOWLIST_SETTING] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return { dataRoots: [...new Set(roots.map((r) => resolve(cwd, r)))], allowedHosts };
}

let processPolicy: AccessPolicy | undefined;

/**
 * The context's policy. Apps pass the one their env.ts reads (RETUNE_DATA_ROOTS…); a context
 * without one gets the defaults (the data folders under the working directory, no allowlist).
 */
export const policyOf = (ctx: { policy?: AccessPolicy | undefined }): AccessPolicy =>
  ctx.policy ?? (processPolicy ??= accessPolicyFromEnv({}));
