import { createHash, randomBytes } from 'node:crypto';

/** Session cookies and API tokens are 256-bit random strings; only their SHA-256 is stored. */
export const SESSION_TOKEN_BYTES = 32;
export const API_TOKEN_PREFIX = 'rtk_';

export function newSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
}

export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
}

/** What lists show of a token: enough to recognise it, far too little to use it. */
export function apiTokenPrefix(token: string): string {
  return token.slice(0, API_TOKEN_PREFIX.length + 6);
}

export function sha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}
