import { cp, mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  championHistory,
  listModelVersions,
  modelCard,
  promoteModelVersion,
  type ModelDeps,
} from '@retune/api';
import { formatNumber, type ModelVersionView } from '@retune/core';
import { renderTable } from '../render/table';
import { CliError } from '../errors';
import type { CliContext } from './context';
import { audited } from './local-audit';

const deps = (ctx: CliContext): ModelDeps => ({ repos: ctx.repos });

export function renderModelVersions(versions: ModelVersionView[]): string {
  return renderTable(
    ['id', 'task', 'version', 'champion', 'metric', 'value', 'run', 'created'],
    versions.map((v) => [
      v.id,
      v.task,
      v.version,
      v.isChampion ? '★' : '',
      v.metricName,
      formatNumber(v.metricValue),
      v.retrainRunId,
      v.createdAt,
    ]),
  );
}

export async function listModelsCommand(ctx: CliContext, opts: { task?: string }): Promise<number> {
  const versions = await listModelVersions(deps(ctx), opts.task ? { task: opts.task } : {});
  console.log(versions.length === 0 ? 'no model versions yet' : renderModelVersions(versions));
  return 0;
}

export async function promoteModelCommand(
  ctx: CliContext,
  id: string,
  opts: { reason?: string },
): Promise<number> {
  const v = await audited(ctx.repos, 'model.promote', id, () =>
    promoteModelVersion(deps(ctx), id, opts.reason, 'local-operator'),
  );
  console.log(`${v.id} (v${v.version}) is now the champion of ${v.task}`);
  return 0;
}

export async function championHistoryCommand(
  ctx: CliContext,
  opts: { task?: string },
): Promise<number> {
  const changes = await championHistory(deps(ctx), opts.task ? { task: opts.task } : {});
  console.log(
    renderTable(
      ['when', 'task', 'champion', 'previous', 'reason'],
      changes.map((c) => [c.createdAt, c.task, c.modelVersionId, c.previousVersionId, c.reason]),
    ),
  );
  return 0;
}

/**
 * Copies the model's artifact into `out` and writes `model-card.json` (identity, lineage,
 * metrics) beside it.
 */
export async function exportModel(
  ctx: CliContext,
  id: string,
  out: string,
): Promise<{ card: string; artifact: string | null }> {
  const card = await modelCard(deps(ctx), id);
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  let copied: string | null = null;
  if (card.artifact) {
    const info = await stat(card.artifact).catch(() => null);
    if (!info) throw new CliError(`the artifact of ${id} is gone: ${card.artifact}`, 1);
    copied = join(dir, basename(card.artifact));
    await cp(card.artifact, copied, { recursive: info.isDirectory() });
  }
  const cardPath = join(dir, 'model-card.json');
  await writeFile(cardPath, JSON.stringify({ ...card, exportedArtifact: copied }, null, 2) + '\n');
  return { card: cardPath, artifact: copied };
}

export async function exportModelCommand(
  ctx: CliContext,
  id: string,
  opts: { out: string },
): Promise<number> {
  const r = await exportModel(ctx, id, opts.out);
  if (!r.artifact) console.warn(`${id} has no recorded artifact: wrote the model card only`);
  console.log(`exported ${id}: ${r.card}${r.artifact ? `, ${r.artifact}` : ''}`);
  return 0;
}
