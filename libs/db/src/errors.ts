export class NotFoundError extends Error {
  constructor(
    readonly entity: 'sweep' | 'trial',
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** Prisma's "record to update not found" → NotFoundError; anything else is rethrown. */
export function rethrowNotFound(err: unknown, entity: 'sweep' | 'trial', id: string): never {
  if ((err as { code?: string }).code === 'P2025') throw new NotFoundError(entity, id);
  throw err;
}
