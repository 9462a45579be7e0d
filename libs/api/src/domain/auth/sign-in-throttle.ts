import type { Repositories, SignInFailureEntry } from '@retune/db';
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

/** Failures are forgotten after this long without another. */
export const FORGET_MS = 60 * 60_000;

/** Where the counts live: the database (SignInFailure rows), shared by every API process. */
export type ThrottleStore = Repositories['signInFailures'];

/** The lock a failure count earns under `rules` (0 while failures are still free). */
export function lockDelayMs(failures: number, rules: ThrottleRules): number {
  const over = failures - rules.freeFailures;
  return over > 0 ? Math.min(rules.firstDelayMs * 2 ** (over - 1), rules.maxDelayMs) : 0;
}

/**
 * Sign-in throttling per account and per client address. The counts are stored (not kept in
 * memory), so a restart forgets nothing and several dashboard processes share them.
 */
export class SignInThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly account: ThrottleRules = ACCOUNT_RULES,
    private readonly address: ThrottleRules = ADDRESS_RULES,
  ) {}

  private keys(email: string, address: string | null | undefined) {
    const keys: [string, ThrottleRules][] = [[`account:${email}`, this.account]];
    if (address) keys.push([`address:${address}`, this.address]);
    return keys;
  }

  /** Throws TooManyAttemptsError ("try again in N s") while either key is locked. */
  async check(email: string, address: string | null | undefined, now = Date.now()): Promise<void> {
    for (const [key] of this.keys(email, address)) {
      const entry = await this.store.get(key);
      const lockedUntil = entry?.lockedUntil.getTime() ?? 0;
      if (lockedUntil > now) {
        const seconds = Math.ceil((lockedUntil - now) / 1000);
        const what = key.startsWith('account:') ? 'this account' : 'this address';
        throw new TooManyAttemptsError(
          `too many failed sign-ins for ${what}: try again in ${seconds} s`,
          seconds,
        );
      }
    }
  }

  async failed(email: string, address: string | null | undefined, now = Date.now()): Promise<void> {
    for (const [key, rules] of this.keys(email, address)) {
      const prev = await this.store.get(key);
      const recent = prev && now - prev.lastFailure.getTime() < FORGET_MS;
      const failures = (recent ? prev.failures : 0) + 1;
      const entry: SignInFailureEntry = {
        failures,
        lockedUntil: new Date(now + lockDelayMs(failures, rules)),
        lastFailure: new Date(now),
      };
      await this.store.put(key, entry);
    }
  }

  /**
   * A correct password clears the account's failures (the address keeps its own). Sign-ins are
   * rare, so forgotten entries are swept here rather than by a job.
   */
  async succeeded(email: string, now = Date.now()): Promise<void> {
    await this.store.delete(`account:${email}`);
    await this.store.prune(new Date(now - FORGET_MS), new Date(now));
  }
}

/** The context's throttle, or one over the context's database. */
export const throttleOf = (ctx: {
  throttle?: SignInThrottle | undefined;
  repos: Pick<Repositories, 'signInFailures'>;
}): SignInThrottle => ctx.throttle ?? new SignInThrottle(ctx.repos.signInFailures);
