import { baseModelMetaSchema, type BaseModelMeta, type BaseModelView } from '@retune/core';
import type { Prisma } from '../generated/sqlite/client';
import type { Db } from '../client';

const select = {
  id: true,
  name: true,
  path: true,
  inputShape: true,
  source: true,
  meta: true,
  createdAt: true,
} as const;

export class BaseModelExistsError extends Error {
  constructor(readonly modelName: string) {
    super(`a base model named "${modelName}" is already registered: pick another name`);
    this.name = 'BaseModelExistsError';
  }
}

function toView(row: {
  id: string;
  name: string;
  path: string;
  inputShape: unknown;
  source: string;
  meta: unknown;
  createdAt: Date;
}): BaseModelView {
  return {
    ...row,
    inputShape: row.inputShape as (number | null)[],
    // Validated on the way in; a row edited by hand into something else reads as no metadata.
    meta: row.meta == null ? null : (baseModelMetaSchema.safeParse(row.meta).data ?? null),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Named pretrained models that sweeps start from (`baseModel: <name>`). */
export function createBaseModelRepository(db: Db) {
  return {
    async register(input: {
      id: string;
      name: string;
      path: string;
      inputShape: (number | null)[];
      source: string;
      meta?: BaseModelMeta;
    }): Promise<BaseModelView> {
      if (await db.baseModel.findUnique({ where: { name: input.name }, select: { id: true } })) {
        throw new BaseModelExistsError(input.name);
      }
      const { meta, ...rest } = input;
      const data = {
        ...rest,
        ...(meta ? { meta: baseModelMetaSchema.parse(meta) as Prisma.InputJsonValue } : {}),
      };
      return toView(await db.baseModel.create({ data, select }));
    },

    async findByName(name: string): Promise<BaseModelView | null> {
      const row = await db.baseModel.findUnique({ where: { name }, select });
      return row ? toView(row) : null;
    },

    async list(): Promise<BaseModelView[]> {
      const rows = await db.baseModel.findMany({ orderBy: { createdAt: 'desc' }, select });
      return rows.map(toView);
    },
  };
}

export type BaseModelRepository = ReturnType<typeof createBaseModelRepository>;
