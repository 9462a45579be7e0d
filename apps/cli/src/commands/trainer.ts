import { BUILT_IN_TRAINERS } from '@retune/core';
import { LOCAL_OPERATOR, listTrainers, recordAudit, registerTrainer } from '@retune/api';
import { renderTable } from '../render/table';
import type { CliContext } from './context';

/**
 * `retune trainer register NAME [--cwd DIR] [--reusable] -- <command…>`: the local operator (who holds the
 * database's credentials) acts as an admin. Sweeps then say `trainer: { name: NAME }`.
 */
export async function trainerRegisterCommand(
  ctx: CliContext,
  name: string,
  command: string[],
  opts: { cwd?: string; reusable?: boolean },
): Promise<number> {
  const trainer = await registerTrainer(
    ctx.repos,
    {
      name,
      command,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.reusable ? { reusable: true } : {}),
    },
    'local operator',
  );
  await recordAudit(ctx.repos, LOCAL_OPERATOR, {
    action: 'trainer.register',
    target: trainer.name,
    outcome: 'ok',
    detail: JSON.stringify(trainer.command).slice(0, 500),
  });
  const reuse = trainer.reusable ? ' (reusable: one process takes several trials)' : '';
  console.log(`registered trainer ${trainer.name}: ${trainer.command.join(' ')}${reuse}`);
  console.log(`use it in a sweep spec as: trainer: { name: ${trainer.name} }`);
  return 0;
}

/** `retune trainer list` */
export async function trainerListCommand(ctx: CliContext): Promise<number> {
  const registered = await listTrainers(ctx.repos);
  const rows = [
    ...BUILT_IN_TRAINERS.map((n) => [n, 'built in', null, 'yes', null]),
    ...registered.map((t) => [
      t.name,
      t.command.join(' '),
      t.cwd,
      t.reusable ? 'yes' : 'no',
      t.createdBy,
    ]),
  ];
  console.log(renderTable(['name', 'command', 'cwd', 'reusable', 'registered by'], rows));
  return 0;
}
