import { TooManyAttemptsError } from '../errors';

/** How many failures are free, and how the delay grows after them (doubling, capped). */
export interface ThrottleRules {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const ACCOUNT_RULES: ThrottleRules = {
  freeFailures: 5,
  firstDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
};
/** An address may host several people (a NAT, an office): more free failures. */
export const ADDRESS_RULES: ThrottleRules = {
  freeFailures: 20,
  firstDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
};

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/** Failures are forgotten after this long without another. */
const FORGET_MS = 60 * 60_000;
const MAX_ENTRIES = 100_000;

/**
 * Sign-in throttling per account and per client address, in this process's memory (the
 * dashboard is one server process; a restart forgets, which only ever loosens it).
 */
export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly account: ThrottleRules = ACCOUNT_RULES,
    private readonly address: ThrottleRules = ADDRESS_RULES,
  ) {}

  private keys(email: string, address: string | null | undefined) {
    const keys: [string, ThrottleRules][] = [[`account:${email}`, this.account]];
    if (address) keys.push([`address:${address}`, this.address]);
    return keys;
  }

  /** Throws TooManyAttemptsError ("try again in N s") while either key is locked. */
  check(email: string, address: string | null | undefined, now = Date.now()): void {
    for (const [key] of this.keys(email, address)) {
      const entry = this.entries.get(key);
      if (entry && entry.lockedUntil > now) {
        const seconds = Math.ceil((entry.lockedUntil - now) / 1000);
        const what = key.startsWith('account:') ? 'this account' : 'this address';
        throw new TooManyAttemptsError(
          `too many failed sign-ins for ${what}: try again in ${seconds} s`,
          seconds,
        );
      }
    }
  }

  failed(email: string, address: string | null | undefined, now = Date.now()): void {
    if (this.entries.size > MAX_ENTRIES) this.prune(now);
    for (const [key, rules] of this.keys(email, address)) {
      const prev = this.entries.get(key);
      const failures = (prev && now - prev.lastFailure < FORGET_MS ? prev.failures : 0) + 1;
      const over = failures - rules.freeFailures;
      const delay = over > 0 ? Math.min(rules.firstDelayMs * 2 ** (over - 1), rules.maxDelayMs) : 0;
      this.entries.set(key, { failures, lockedUntil: now + delay, lastFailure: now });
    }
  }

  /** A correct password clears the account's failures (the address keeps its own). */
  succeeded(email: string): void {
    this.entries.delete(`account:${email}`);
  }

  private prune(now: number): void {
    for (const [key, e] of this.entries) {
      if (now - e.lastFailure >= FORGET_MS && e.lockedUntil <= now) this.entries.delete(key);
    }
  }
}

let processThrottle: SignInThrottle | undefined;

/** The context's throttle, or this process's. */
export const throttleOf = (ctx: { throttle?: SignInThrottle | undefined }): SignInThrottle =>
  ctx.throttle ?? (processThrottle ??= new SignInThrottle());
