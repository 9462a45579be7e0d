import type { DatasetSnapshotView } from '@retune/core';
import type { Db } from '../client';

const select = {
  id: true,
  dataset: true,
  fileCount: true,
  contentHash: true,
  createdAt: true,
} as const;

const toView = (row: Omit<DatasetSnapshotView, 'createdAt'> & { createdAt: Date }) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
});

export function createDatasetSnapshotRepository(db: Db) {
  return {
    /** Idempotent by id (a retried activity writes the same snapshot once). */
    async record(input: {
      id: string;
      dataset: string;
      fileCount: number;
      contentHash: string;
    }): Promise<DatasetSnapshotView> {
      const row = await db.datasetSnapshot.upsert({
        where: { id: input.id },
        create: input,
        update: {},
        select,
      });
      return toView(row);
    },

    async get(id: string): Promise<DatasetSnapshotView | null> {
      const row = await db.datasetSnapshot.findUnique({ where: { id }, select });
      return row ? toView(row) : null;
    },
  };
}

export type DatasetSnapshotRepository = ReturnType<typeof createDatasetSnapshotRepository>;
