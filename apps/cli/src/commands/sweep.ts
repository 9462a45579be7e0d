import { paretoOf, validateSweepSpec, type SweepAction } from '@retune/api';
import { formatNumber, gpuHoursSchema, type SweepDetail } from '@retune/core';
import { renderProgress } from '../render/progress';
import {
  renderParetoFront,
  renderSweepHeader,
  renderSweepList,
  renderTrials,
} from '../render/sweep-tables';
import { renderPbtFamily } from '../render/pbt-family';
import { CliError } from '../errors';
import { readYamlFile } from './yaml-file';
import type { SweepClient } from './sweep-client';

const TERMINAL = new Set(['completed', 'cancelled', 'failed']);

export async function launchCommand(
  client: SweepClient,
  file: string,
  opts: { wait: boolean },
): Promise<number> {
  const specInput = readYamlFile(file);
  validateSweepSpec(specInput); // field errors first, before touching Temporal or the DB
  const sweep = await client.launch(specInput);
  const budget =
    sweep.gpuHoursBudget != null ? `, at most ${formatNumber(sweep.gpuHoursBudget)} GPU-h` : '';
  console.log(
    `launched sweep ${sweep.id} (${sweep.plannedTrials} trials${budget}) — workflow ${sweep.workflowId}`,
  );
  if (!opts.wait) return 0;
  const final = await watch(client, sweep.id);
  console.log('\n' + renderSweepHeader(final) + '\n\n' + renderTrials(final));
  return final.status === 'completed' ? 0 : 1;
}

/** A redrawn line must not wrap, or `\r` only clears its last row. */
const fitWidth = (line: string, columns: number | undefined) =>
  columns && line.length >= columns ? line.slice(0, columns - 2) + '…' : line;

/** Polls the DB and redraws one progress line until the sweep ends. */
async function watch(client: SweepClient, id: string): Promise<SweepDetail> {
  const tty = process.stdout.isTTY;
  let last = '';
  const stop = new Promise<never>((_, reject) => {
    process.once('SIGINT', () =>
      reject(
        new CliError(
          `\nstopped watching; sweep ${id} keeps running. Cancel it with: npm run retune -- sweep cancel ${id}`,
          130,
        ),
      ),
    );
  });
  stop.catch(() => undefined); // Ctrl-C during a DB read is seen by the next race, not unhandled
  for (;;) {
    const sweep = await client.get(id);
    const line = renderProgress(sweep);
    if (tty) process.stdout.write(`\r\x1b[2K${fitWidth(line, process.stdout.columns)}`);
    else if (line !== last) console.log(line);
    last = line;
    if (TERMINAL.has(sweep.status)) {
      if (tty) process.stdout.write('\n');
      return sweep;
    }
    await Promise.race([new Promise((r) => setTimeout(r, 500)), stop]);
  }
}

export async function listCommand(client: SweepClient): Promise<number> {
  console.log(renderSweepList(await client.list()));
  return 0;
}

export async function showCommand(client: SweepClient, id: string): Promise<number> {
  const sweep = await client.get(id);
  const pareto = paretoOf(sweep);
  console.log(
    renderSweepHeader(sweep) +
      '\n\n' +
      (sweep.trials.length ? renderTrials(sweep) : 'no trials yet') +
      (pareto.objectives.length > 1 ? '\n\n' + renderParetoFront(sweep, pareto) : '') +
      (sweep.algorithm === 'pbt' ? '\n\n' + renderPbtFamily(await client.pbtFamily(id)) : ''),
  );
  return 0;
}

export async function cancelCommand(client: SweepClient, id: string): Promise<number> {
  await client.cancel(id);
  console.log(`cancelling sweep ${id}: running trials are stopped, pending ones will not start`);
  return 0;
}

const DONE: Record<SweepAction['action'], string> = {
  pause: 'pausing: running trials finish, no new ones start until resume',
  resume: 'resuming',
  retryFailed: 'failed trials will run again',
  extendBudget: 'budget extended',
  extendGpuBudget: 'GPU-time budget extended',
};

export async function controlCommand(
  client: SweepClient,
  id: string,
  request: SweepAction,
): Promise<number> {
  await client.control(id, request);
  console.log(`sweep ${id}: ${DONE[request.action]}`);
  return 0;
}

/**
 * What `sweep extend ID [extraTrials] [--gpu-hours H]` asks for: more trials, more GPU time or
 * both. Throws a message naming the bad argument.
 */
export function extendRequests(
  extra: string | undefined,
  gpuHours: string | undefined,
): SweepAction[] {
  const requests: SweepAction[] = [];
  if (extra !== undefined) {
    const extraTrials = Number(extra);
    if (!Number.isInteger(extraTrials) || extraTrials < 1) {
      throw new Error(`extraTrials must be a positive integer, got "${extra}"`);
    }
    requests.push({ action: 'extendBudget', extraTrials });
  }
  if (gpuHours !== undefined) {
    const parsed = gpuHoursSchema.safeParse(Number(gpuHours));
    if (!parsed.success) {
      throw new Error(`--gpu-hours: ${parsed.error.issues[0]!.message}, got "${gpuHours}"`);
    }
    requests.push({ action: 'extendGpuBudget', extraGpuHours: parsed.data });
  }
  if (requests.length === 0) {
    throw new Error('say what to add: extraTrials (a count), --gpu-hours <hours>, or both');
  }
  return requests;
}
