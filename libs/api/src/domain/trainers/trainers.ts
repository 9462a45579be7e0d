import { BUILT_IN_TRAINERS, roleAllows, TRAINER_NAME, type TrainerSpec } from '@retune/core';
import { TrainerExistsError, type Repositories, type TrainerView } from '@retune/db';
import type { Actor } from '../auth/api-tokens';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors';

type TrainerRepos = Pick<Repositories, 'trainers'>;

const isAdmin = (actor: Actor) => actor === 'local-operator' || roleAllows(actor.role, 'admin');

export const REGISTER_HINT = '`retune trainer register NAME -- <command…>` (admins)';

/**
 * A sweep may run only trainers an admin vetted: a built-in or registered name for anyone, a
 * raw command only for admins (and the local operator). Sweeps stored before keep running:
 * this is checked when a sweep or schedule is launched, not by the worker.
 */
export async function checkTrainerAllowed(
  repos: TrainerRepos,
  trainer: TrainerSpec,
  actor: Actor,
): Promise<void> {
  if ('command' in trainer) {
    if (isAdmin(actor)) return;
    throw new ForbiddenError(
      'trainer.command: only admins may launch a raw trainer command; ask an admin to register it ' +
        `(${REGISTER_HINT.replace('NAME', 'my-trainer').replace('<command…>', trainer.command.join(' '))}) and use trainer: { name: my-trainer }`,
    );
  }
  if ((BUILT_IN_TRAINERS as readonly string[]).includes(trainer.name)) return;
  if (await repos.trainers.get(trainer.name)) return;
  const registered = (await repos.trainers.list()).map((t) => t.name);
  throw new InvalidInputError(
    `trainer: unknown trainer "${trainer.name}": built in are ${BUILT_IN_TRAINERS.join(', ')}` +
      `${registered.length ? `; registered: ${registered.join(', ')}` : '; none registered'}` +
      ` — an admin registers one with ${REGISTER_HINT}`,
    [{ path: 'trainer.name', message: `unknown trainer "${trainer.name}"` }],
  );
}

export async function registerTrainer(
  repos: TrainerRepos,
  input: { name: string; command: string[]; cwd?: string | null; reusable?: boolean },
  createdBy: string,
): Promise<TrainerView> {
  if (
    !TRAINER_NAME.test(input.name) ||
    (BUILT_IN_TRAINERS as readonly string[]).includes(input.name)
  ) {
    throw new InvalidInputError(
      `name: "${input.name}" is not a trainer name: lowercase letters, digits, . _ - (max 63), not ${BUILT_IN_TRAINERS.join(' or ')}`,
      [{ path: 'name', message: 'lowercase letters, digits, . _ -' }],
    );
  }
  if (input.command.length === 0 || input.command.some((a) => a.length === 0)) {
    throw new InvalidInputError('command: give the executable and its arguments', [
      { path: 'command', message: 'at least the executable' },
    ]);
  }
  try {
    return await repos.trainers.register({ ...input, createdBy });
  } catch (err) {
    if (err instanceof TrainerExistsError) throw new ConflictError(err.message);
    throw err;
  }
}

export const listTrainers = (repos: TrainerRepos) => repos.trainers.list();
