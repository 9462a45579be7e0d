export class RowNotFoundError extends Error {
  constructor(
    readonly entity: 'sweep' | 'trial',
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'RowNotFoundError';
  }
}

/** Prisma's "record to update not found" → RowNotFoundError; anything else is rethrown. */
export function rethrowNotFound(err: unknown, entity: 'sweep' | 'trial', id: string): never {
  if ((err as { code?: string }).code === 'P2025') throw new RowNotFoundError(entity, id);
  throw err;
}
