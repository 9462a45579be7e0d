import { Command } from 'commander';
import type { Role as UserRole } from '@retune/core';
import {
  cancelCommand,
  controlCommand,
  extendRequests,
  launchCommand,
  listCommand,
  showCommand,
} from './commands/sweep';
import { createCliContext, type CliContext } from './commands/context';
import { listBaseModelsCommand, pretrainCommand, registerCommand } from './commands/base-model';
import { datasetExportCommand, type DatasetExportOptions } from './commands/dataset';
import type { MetaOptions } from './commands/base-model-meta';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './commands/token';
import { userCreateCommand, userListCommand, userRoleCommand } from './commands/user';
import {
  userGrantCommand,
  userGrantsCommand,
  userRevokeGrantCommand,
} from './commands/user-grants';
import { trainerListCommand, trainerRegisterCommand } from './commands/trainer';
import { auditListCommand } from './commands/audit';
import { loadEnv, repoRoot, type CliEnv } from './env';
import { localSweepClient, remoteSweepClient, type SweepClient } from './commands/sweep-client';
import { exitCodeFor } from './errors';
import type { SweepAction } from '@retune/api';
import {
  createScheduleCommand,
  deleteScheduleCommand,
  listSchedulesCommand,
  pauseScheduleCommand,
  triggerScheduleCommand,
  updateScheduleCommand,
} from './commands/schedule';
import {
  championHistoryCommand,
  exportModelCommand,
  listModelsCommand,
  promoteModelCommand,
} from './commands/model';

async function run(fn: (ctx: CliContext) => Promise<number>): Promise<void> {
  let ctx: CliContext | undefined;
  let code: number;
  try {
    ctx = createCliContext(loadEnv());
    code = await fn(ctx);
  } catch (err) {
    const { code: c, message } = exitCodeFor(err);
    console.error(message);
    code = c;
  } finally {
    await ctx?.close();
  }
  process.exit(code);
}

/** Commands that need neither the database nor Temporal. */
async function runStandalone(fn: () => Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await fn();
  } catch (err) {
    const { code: c, message } = exitCodeFor(err);
    console.error(message);
    code = c;
  }
  process.exit(code);
}

/**
 * Sweep commands go to the API named by RETUNE_API_URL (with RETUNE_API_TOKEN) when set, else
 * straight to this machine's database and Temporal.
 */
async function runSweep(fn: (client: SweepClient) => Promise<number>): Promise<void> {
  let env: CliEnv;
  try {
    env = loadEnv();
  } catch (err) {
    console.error(exitCodeFor(err).message);
    process.exit(2);
  }
  if (env.RETUNE_API_URL) {
    let code: number;
    try {
      code = await fn(remoteSweepClient(env.RETUNE_API_URL, env.RETUNE_API_TOKEN!));
    } catch (err) {
      const { code: c, message } = exitCodeFor(err);
      console.error(message);
      code = c;
    }
    process.exit(code);
  }
  return run((ctx) => fn(localSweepClient(ctx)));
}

const program = new Command('retune').description('Transfer-learning hyperparameter sweeps');
const sweep = program.command('sweep').description('launch, watch and inspect sweeps');
sweep
  .command('launch <spec.yaml>')
  .description('validate a sweep spec, start it, and watch it to the end')
  .option('--no-wait', 'return after starting the sweep')
  .action((file: string, opts: { wait: boolean }) =>
    runSweep((client) => launchCommand(client, file, opts)),
  );
sweep
  .command('list')
  .description('recent sweeps')
  .action(() => runSweep(listCommand));
sweep
  .command('show <id>')
  .description('a sweep and its trials, best first')
  .action((id: string) => runSweep((client) => showCommand(client, id)));
sweep
  .command('cancel <id>')
  .description('stop a running sweep')
  .action((id: string) => runSweep((client) => cancelCommand(client, id)));

sweep
  .command('pause <id>')
  .description('finish running trials but start no new ones')
  .action((id: string) => runSweep((client) => controlCommand(client, id, { action: 'pause' })));
sweep
  .command('resume <id>')
  .description('resume a paused sweep')
  .action((id: string) => runSweep((client) => controlCommand(client, id, { action: 'resume' })));
sweep
  .command('retry-failed <id>')
  .description('run the failed trials of a live sweep again')
  .action((id: string) =>
    runSweep((client) => controlCommand(client, id, { action: 'retryFailed' })),
  );
sweep
  .command('extend <id> [extraTrials]')
  .description(
    'add trials to a random or TPE sweep (a grid runs exactly its grid), or GPU time to a sweep with budget.gpuHours',
  )
  .option('--gpu-hours <hours>', "GPU hours to add to the sweep's GPU-time budget")
  .action((id: string, extra: string | undefined, opts: { gpuHours?: string }) => {
    let requests: SweepAction[];
    try {
      requests = extendRequests(extra, opts.gpuHours);
    } catch (err) {
      console.error((err as Error).message);
      process.exit(2);
    }
    return runSweep(async (client) => {
      for (const request of requests) await controlCommand(client, id, request);
      return 0;
    });
  });

program
  .command('pretrain <name>')
  .description('train the demo base CNN on a source task and register it as a base model')
  .option('--epochs <n>', 'training epochs', '3')
  .option('--dataset <id>', 'source task', 'demo:mnist-0-4')
  .option('--seed <n>', 'random seed', '1')
  .action((name: string, opts: { epochs: string; dataset: string; seed: string }) =>
    run((ctx) => pretrainCommand(ctx, repoRoot, name, opts)),
  );
const baseModel = program.command('base-model').description('pretrained models sweeps start from');
baseModel
  .command('list')
  .description('registered base models')
  .action(() => run(listBaseModelsCommand));
baseModel
  .command('register <name> <model.json>')
  .description('register a tfjs LayersModel (path or URL) under a name')
  .option('--input-size <size>', 'size it was trained at: 224 or <height>x<width>')
  .option('--channels <n>', '1 or 3 (default: from its input shape)')
  .option(
    '--preprocessing <kind>',
    'unit ([0,1], default), symmetric ([-1,1]), offset-scale:127,128, mean-std:<means>/<stds>',
  )
  .option('--output-layer <layer>', 'cut the model at this layer (before its classifier)')
  .action((name: string, location: string, opts: MetaOptions) =>
    run((ctx) => registerCommand(ctx, name, location, opts)),
  );

const dataset = program.command('dataset').description('demo datasets and the image-folder layout');
dataset
  .command('export <demo> <dir>')
  .description('write a demo task as an image folder: <dir>/{train,val}/<class>/*.png')
  .option('--train-per-class <n>', 'training images per class (default: the demo default)')
  .option('--val-per-class <n>', 'validation images per class (default 50)')
  .option('--seed <n>', 'data seed of the selection and split', '0')
  .action((demo: string, dir: string, opts: DatasetExportOptions) =>
    runStandalone(() => datasetExportCommand(demo, dir, opts)),
  );

const user = program.command('user').description('dashboard and API accounts');
user
  .command('create')
  .description('create a user (asks for the password twice unless --password-stdin)')
  .requiredOption('--email <email>', 'sign-in email')
  .option('--password-stdin', 'read the password from stdin')
  .option('--admin', 'same as --role admin')
  .option('--role <role>', 'viewer | member | admin (docs/security.md)', 'member')
  .action((opts: { email: string; passwordStdin?: boolean; admin?: boolean; role?: UserRole }) =>
    run((ctx) => userCreateCommand(ctx, opts)),
  );
user
  .command('role <email-or-id> <role>')
  .description("change a user's role: viewer | member | admin")
  .action((ref: string, role: string) => run((ctx) => userRoleCommand(ctx, ref, role)));
user
  .command('list')
  .description('all users')
  .action(() => run(userListCommand));
user
  .command('grant <email-or-id> <task>')
  .description('let a member promote models of a task (a name, a prefix ending in *, or *)')
  .action((ref: string, task: string) => run((ctx) => userGrantCommand(ctx, ref, task)));
user
  .command('revoke-grant <email-or-id> <task>')
  .description('take back a promotion grant')
  .action((ref: string, task: string) => run((ctx) => userRevokeGrantCommand(ctx, ref, task)));
user
  .command('grants [email-or-id]')
  .description('who may promote models of which tasks')
  .action((ref?: string) => run((ctx) => userGrantsCommand(ctx, ref)));
const token = program
  .command('token')
  .description('API tokens (Authorization: Bearer) for scripts');
token
  .command('create')
  .description('create a token for a user and print it (shown only once)')
  .requiredOption('--email <email>', 'the user the token acts as')
  .requiredOption('--name <name>', 'what the token is for, e.g. laptop')
  .option('--read-only', 'the token may only read, whatever the user may do')
  .action((opts: { email: string; name: string; readOnly?: boolean }) =>
    run((ctx) => tokenCreateCommand(ctx, opts)),
  );

const trainer = program
  .command('trainer')
  .description('trainers sweeps may name (built in, or registered by an admin)');
trainer
  .command('register <name> <command...>')
  .description('register a trainer command: retune trainer register NAME -- python3 train.py …')
  .option('--cwd <dir>', 'working directory of the trainer process')
  .option(
    '--reusable',
    'it takes several trials in one process (serve mode, docs/trainer-reuse.md)',
  )
  .action((name: string, command: string[], opts: { cwd?: string; reusable?: boolean }) =>
    run((ctx) => trainerRegisterCommand(ctx, name, command, opts)),
  );
trainer
  .command('list')
  .description('built-in and registered trainers')
  .action(() => run(trainerListCommand));

program
  .command('audit')
  .description('the audit log: who launched, controlled, promoted, registered… (newest first)')
  .option('--limit <n>', 'how many events', '50')
  .option('--action <action>', 'only this action, e.g. sweep.launch')
  .action((opts: { limit?: string; action?: string }) => run((ctx) => auditListCommand(ctx, opts)));
token
  .command('list')
  .description('all tokens: prefix, owner, last use, revocation')
  .action(() => run(tokenListCommand));
token
  .command('revoke <id>')
  .description('revoke a token at once')
  .action((id: string) => run((ctx) => tokenRevokeCommand(ctx, id)));

const schedule = program
  .command('schedule')
  .description('scheduled retraining (Temporal Schedules) with a champion gate');
schedule
  .command('create <schedule.yaml>')
  .description('validate a schedule and create it with its Temporal Schedule')
  .action((file: string) => run((ctx) => createScheduleCommand(ctx, file)));
schedule
  .command('update <name-or-id> <schedule.yaml>')
  .description("replace a schedule's settings")
  .action((ref: string, file: string) => run((ctx) => updateScheduleCommand(ctx, ref, file)));
schedule
  .command('list')
  .description('schedules, their next run and last outcome')
  .action(() => run(listSchedulesCommand));
schedule
  .command('pause <name-or-id>')
  .description('stop firing (a running retrain finishes)')
  .action((ref: string) => run((ctx) => pauseScheduleCommand(ctx, ref, true)));
schedule
  .command('resume <name-or-id>')
  .description('fire again')
  .action((ref: string) => run((ctx) => pauseScheduleCommand(ctx, ref, false)));
schedule
  .command('delete <name-or-id>')
  .description('delete a schedule and its run history')
  .action((ref: string) => run((ctx) => deleteScheduleCommand(ctx, ref)));
schedule
  .command('trigger <name-or-id>')
  .description('run now')
  .option('--force', 'train even if the dataset has not changed', false)
  .action((ref: string, opts: { force: boolean }) =>
    run((ctx) => triggerScheduleCommand(ctx, ref, opts)),
  );

const model = program.command('model').description('the model registry: versions and champions');
model
  .command('list')
  .description('model versions, champion marked ★')
  .option('--task <task>', 'only this task')
  .action((opts: { task?: string }) => run((ctx) => listModelsCommand(ctx, opts)));
model
  .command('promote <id>')
  .description("make a version its task's champion (e.g. a rollback)")
  .option('--reason <text>', 'recorded in the champion history')
  .action((id: string, opts: { reason?: string }) =>
    run((ctx) => promoteModelCommand(ctx, id, opts)),
  );
model
  .command('history')
  .description('champion changes, newest first')
  .option('--task <task>', 'only this task')
  .action((opts: { task?: string }) => run((ctx) => championHistoryCommand(ctx, opts)));
model
  .command('export <id>')
  .description('copy the artifact and write a model card (lineage, metrics)')
  .requiredOption('--out <dir>', 'where to write')
  .action((id: string, opts: { out: string }) => run((ctx) => exportModelCommand(ctx, id, opts)));

await program.parseAsync(process.argv);
