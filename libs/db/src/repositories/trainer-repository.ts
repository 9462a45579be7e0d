import type { Db } from '../client';

/** A trainer an admin registered; sweeps name it instead of carrying a command. */
export interface TrainerView {
  name: string;
  command: string[];
  cwd: string | null;
  /** Takes several trials in one process (serve mode, docs/trainer-reuse.md). */
  reusable: boolean;
  createdBy: string;
  createdAt: string;
}

export class TrainerExistsError extends Error {
  constructor(readonly trainerName: string) {
    super(`a trainer named "${trainerName}" is already registered: pick another name`);
    this.name = 'TrainerExistsError';
  }
}

function toView(row: {
  name: string;
  command: unknown;
  cwd: string | null;
  reusable: boolean;
  createdBy: string;
  createdAt: Date;
}): TrainerView {
  const command = Array.isArray(row.command) ? row.command.map(String) : [];
  return { ...row, command, createdAt: row.createdAt.toISOString() };
}

export function createTrainerRepository(db: Db) {
  return {
    async register(input: {
      name: string;
      command: string[];
      cwd?: string | null;
      reusable?: boolean;
      createdBy: string;
    }): Promise<TrainerView> {
      const data = { ...input, cwd: input.cwd ?? null, reusable: input.reusable ?? false };
      try {
        return toView(await db.trainer.create({ data }));
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') throw new TrainerExistsError(input.name);
        throw err;
      }
    },

    async get(name: string): Promise<TrainerView | null> {
      const row = await db.trainer.findUnique({ where: { name } });
      return row ? toView(row) : null;
    },

    async list(): Promise<TrainerView[]> {
      return (await db.trainer.findMany({ orderBy: { name: 'asc' } })).map(toView);
    },
  };
}

export type TrainerRepository = ReturnType<typeof createTrainerRepository>;
