/** Domain errors: the tRPC edge (trpc.ts) maps them to HTTP codes, the CLI to exit codes. */
export type DomainErrorKind =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'upstream'
  | 'unauthorized'
  | 'forbidden'
  | 'throttled';

const BRAND = Symbol.for('retune.domainError');

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly [BRAND] = true;
}

/**
 * The kind of a domain error, or null for anything else. Recognises errors made by another copy
 * of this module too (Next.js bundles a workspace lib once per server layer, and the dashboard
 * shares its services between layers), where `instanceof` would say no.
 */
export function domainErrorKind(err: unknown): DomainErrorKind | null {
  return err instanceof Error && (err as Partial<Record<typeof BRAND, boolean>>)[BRAND] === true
    ? (err as DomainError).kind
    : null;
}

export class InvalidInputError extends DomainError {
  readonly kind = 'invalid-input';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** A service the domain depends on (Temporal) could not be reached or refused the call. */
export class UpstreamError extends DomainError {
  readonly kind = 'upstream';
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** Wrong credentials, or a request that needs a signed-in user. */
export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** Signed in, but the role (or a read-only token) does not allow it; the message says who may. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Too many failed sign-ins: the message says when to try again. */
export class TooManyAttemptsError extends DomainError {
  readonly kind = 'throttled';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'TooManyAttemptsError';
  }
}
