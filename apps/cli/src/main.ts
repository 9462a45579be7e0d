import { Command } from 'commander';
import {
  cancelCommand,
  controlCommand,
  launchCommand,
  listCommand,
  showCommand,
} from './commands/sweep';
import { createCliContext, type CliContext } from './commands/context';
import { listBaseModelsCommand, pretrainCommand, registerCommand } from './commands/base-model';
import { loadEnv, repoRoot } from './env';
import { exitCodeFor } from './errors';

async function run(fn: (ctx: CliContext) => Promise<number>): Promise<void> {
  const ctx = createCliContext(loadEnv());
  let code: number;
  try {
    code = await fn(ctx);
  } catch (err) {
    const { code: c, message } = exitCodeFor(err);
    console.error(message);
    code = c;
  } finally {
    await ctx.close();
  }
  process.exit(code);
}

const program = new Command('retune').description('Transfer-learning hyperparameter sweeps');
const sweep = program.command('sweep').description('launch, watch and inspect sweeps');
sweep
  .command('launch <spec.yaml>')
  .description('validate a sweep spec, start it, and watch it to the end')
  .option('--no-wait', 'return after starting the sweep')
  .action((file: string, opts: { wait: boolean }) => run((ctx) => launchCommand(ctx, file, opts)));
sweep
  .command('list')
  .description('recent sweeps')
  .action(() => run(listCommand));
sweep
  .command('show <id>')
  .description('a sweep and its trials, best first')
  .action((id: string) => run((ctx) => showCommand(ctx, id)));
sweep
  .command('cancel <id>')
  .description('stop a running sweep')
  .action((id: string) => run((ctx) => cancelCommand(ctx, id)));

sweep
  .command('pause <id>')
  .description('finish running trials but start no new ones')
  .action((id: string) => run((ctx) => controlCommand(ctx, id, { action: 'pause' })));
sweep
  .command('resume <id>')
  .description('resume a paused sweep')
  .action((id: string) => run((ctx) => controlCommand(ctx, id, { action: 'resume' })));
sweep
  .command('retry-failed <id>')
  .description('run the failed trials of a live sweep again')
  .action((id: string) => run((ctx) => controlCommand(ctx, id, { action: 'retryFailed' })));
sweep
  .command('extend <id> <extraTrials>')
  .description('add trials to a random sweep')
  .action((id: string, extra: string) => {
    const extraTrials = Number(extra);
    if (!Number.isInteger(extraTrials) || extraTrials < 1) {
      console.error(`extraTrials must be a positive integer, got "${extra}"`);
      process.exit(2);
    }
    return run((ctx) => controlCommand(ctx, id, { action: 'extendBudget', extraTrials }));
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
  .action((name: string, location: string) => run((ctx) => registerCommand(ctx, name, location)));

await program.parseAsync(process.argv);
