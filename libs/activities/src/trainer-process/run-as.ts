import { chown, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** An unprivileged OS user trainer processes run as (RETUNE_TRAINER_USER on the worker). */
export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

/**
 * Hands a trial's folder (its input file and checkpoints) to the trainer's user, so a trainer
 * running as that user can write there and nowhere else the worker owns.
 */
export async function handOver(dir: string, runAs: RunAs): Promise<void> {
  await chown(dir, runAs.uid, runAs.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await handOver(path, runAs);
    else if (!entry.isSymbolicLink()) await chown(path, runAs.uid, runAs.gid);
  }
}
