import { execFile } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, type SessionUser } from '@retune/api';
import { parseSweepSpec } from '@retune/core';
import { repoRoot } from '@retune/worker';
import { markdownTable } from '../harness/faults';
import {
  folderWithCorruptClass,
  folderWithEmptyClass,
  recordingGateway,
  snapshot,
  storedSweep,
  vectorInputModel,
  type Stored,
} from './fixtures';
import { runTrainerCase, tfjsTrainer, type TrainerCase } from './run-trainer';

/**
 * Bad inputs through every surface (CLI, tRPC, trainer). Each must be refused or failed with an
 * error that names the problem and the fix, and must leave the stored sweep exactly as it was.
 */
let stored: Stored;
let before: unknown;
const gateway = recordingGateway();
const rows: string[][] = [];

const admin: SessionUser = { id: 'u1', email: 'admin@example.com', role: 'admin' };
const api = (user: SessionUser | null = admin) =>
  createCaller({ repos: stored.repos, temporal: gateway, user });

const baseSpec = {
  name: 'bad input probe',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  trainer: { name: 'synthetic' },
  algorithm: 'random',
  maxTrials: 4,
  searchSpace: { headLr: { type: 'loguniform', min: 0.0001, max: 0.1 } },
};

beforeAll(async () => {
  stored = await storedSweep();
  before = await snapshot(stored.db, stored.existingSweepId);
}, 60_000);

afterAll(async () => {
  console.log('\n' + markdownTable(['input', 'surface', 'outcome'], rows));
  await stored?.db.$disconnect();
});

/** Runs `fn`, which must fail; returns the error message (and records the table row). */
async function refused(input: string, surface: string, fn: () => Promise<unknown>) {
  let message: string | null = null;
  let code = '';
  try {
    await fn();
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
    code = (err as { code?: string }).code ?? '';
  }
  rows.push([input, surface, message === null ? 'ACCEPTED' : oneLine(code, message)]);
  expect(message, `${input} via ${surface} was accepted`).not.toBeNull();
  return message!;
}

/** One table cell: the start (the problem) and, for long messages, the end (often the fix). */
function oneLine(code: string, m: string): string {
  // eslint-disable-next-line no-control-regex -- strip colours a child inherited FORCE_COLOR for
  const flat = m.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+/g, ' ');
  const text = flat.length > 200 ? `${flat.slice(0, 110)} … ${flat.slice(-85)}` : flat;
  return `${code ? `${code}: ` : ''}${text}`.replace(/\|/g, '\\|');
}

function cli(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'apps/cli/src/main.ts', ...args],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: stored.dbUrl,
          // Nothing listens here: validation must answer before Temporal is needed.
          TEMPORAL_ADDRESS: '127.0.0.1:1',
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function cliRefused(input: string, args: string[]) {
  const r = await cli(args);
  rows.push([input, 'CLI', r.code === 0 ? 'ACCEPTED' : oneLine(`exit ${r.code}`, r.stderr)]);
  expect(r.code, `${input} via CLI: ${r.stdout}`).not.toBe(0);
  return r.stderr;
}

function specFile(name: string, body: string): string {
  const path = join(stored.dir, name);
  writeFileSync(path, body);
  return path;
}

describe('bad specs through tRPC', () => {
  const launch = (spec: unknown) => api().sweep.launch({ spec });

  it('invalid field values name the field and the allowed range', async () => {
    const m = await refused('maxParallel: 0', 'tRPC', () =>
      launch({ ...baseSpec, maxParallel: 0 }),
    );
    expect(m).toMatch(/maxParallel/);
    expect(m).toMatch(/>=\s*1|at least 1|greater/i);
  });

  it('a GPU-time budget of 0 names the field and asks for more than 0', async () => {
    const m = await refused('budget.gpuHours: 0', 'tRPC', () =>
      launch({ ...baseSpec, budget: { gpuHours: 0 } }),
    );
    expect(m).toMatch(/budget\.gpuHours/);
    expect(m).toMatch(/more than 0/);
  });

  it('loguniform over 0 says to use uniform', async () => {
    const m = await refused('loguniform min 0', 'tRPC', () =>
      launch({ ...baseSpec, searchSpace: { headLr: { type: 'loguniform', min: 0, max: 1 } } }),
    );
    expect(m).toMatch(/searchSpace\.headLr\.min/);
    expect(m).toMatch(/use uniform/);
  });

  it('an unknown algorithm lists the known ones', async () => {
    const m = await refused('algorithm: bayesian', 'tRPC', () =>
      launch({ ...baseSpec, algorithm: 'bayesian' }),
    );
    expect(m).toMatch(/algorithm/);
    expect(m).toMatch(/grid|random|tpe/);
  });

  it('an empty search space is refused', async () => {
    const m = await refused('searchSpace: {}', 'tRPC', () =>
      launch({ ...baseSpec, searchSpace: {} }),
    );
    expect(m).toMatch(/searchSpace/);
  });

  it('a grid larger than maxTrials names both numbers', async () => {
    const m = await refused('grid 1000 > maxTrials 10', 'tRPC', () =>
      launch({
        ...baseSpec,
        algorithm: 'grid',
        maxTrials: 10,
        searchSpace: {
          epochs: { type: 'int', min: 1, max: 10 },
          units: { type: 'int', min: 1, max: 10 },
          unfreezeEvery: { type: 'int', min: 0, max: 9 },
        },
      }),
    );
    expect(m).toMatch(/1000/);
    expect(m).toMatch(/maxTrials/);
  });

  it('an oversized name (1 MB) is refused with the limit', async () => {
    const m = await refused('1 MB name', 'tRPC', () =>
      launch({ ...baseSpec, name: 'x'.repeat(1 << 20) }),
    );
    expect(m).toMatch(/name/);
    expect(m).toMatch(/120/);
  });

  it('an oversized search space (5,000 parameters) is refused', async () => {
    const searchSpace = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`p${i}`, { type: 'uniform', min: 0, max: 1 }]),
    );
    const m = await refused('5,000-parameter search space', 'tRPC', () =>
      launch({ ...baseSpec, searchSpace }),
    );
    expect(m).toMatch(/searchSpace/);
  });

  it('an unknown trainer name lists the built-in ones', async () => {
    const m = await refused('trainer: { name: pytorch }', 'tRPC', () =>
      launch({ ...baseSpec, trainer: { name: 'pytorch' } }),
    );
    expect(m).toMatch(/trainer/);
    expect(m).toMatch(/tfjs|synthetic|command/);
  });

  it('a misspelled param names its field and the closest known one', async () => {
    const m = await refused('searchSpace: { freezeDept: … }', 'tRPC', () =>
      launch({
        ...baseSpec,
        searchSpace: { freezeDept: { type: 'choice', values: [0, 2] } },
      }),
    );
    expect(m).toMatch(/searchSpace\.freezeDept/);
    expect(m).toMatch(/did you mean "freezeDepth"/);
  });

  it('SQL-looking names are stored verbatim and break nothing', async () => {
    const name = `x'); DROP TABLE "Sweep"; --`;
    const sweep = await api().sweep.launch({ spec: { ...baseSpec, name } });
    const back = await api().sweep.get({ id: sweep.id });
    rows.push([`name: ${name}`, 'tRPC', 'stored verbatim (parameterised queries)']);
    expect(back.name).toBe(name);
    expect(await stored.db.sweep.count()).toBeGreaterThanOrEqual(2);
  });

  it('a SQL-looking id is just an unknown id', async () => {
    const m = await refused(`id: ' OR 1=1 --`, 'tRPC', () =>
      api().sweep.get({ id: `' OR 1=1 --` }),
    );
    expect(m).toMatch(/not found/);
  });

  it.each([
    ['sweep.launch', () => api(null).sweep.launch({ spec: baseSpec })],
    ['sweep.cancel', () => api(null).sweep.cancel({ id: stored.existingSweepId })],
    [
      'sweep.control',
      () => api(null).sweep.control({ id: stored.existingSweepId, request: { action: 'pause' } }),
    ],
  ] as const)('unauthenticated %s is UNAUTHORIZED and says to sign in', async (name, call) => {
    let code = '';
    const m = await refused(`unauthenticated ${name}`, 'tRPC', async () => {
      try {
        await call();
      } catch (err) {
        code = (err as { code?: string }).code ?? '';
        throw err;
      }
    });
    expect(code).toBe('UNAUTHORIZED');
    expect(m).toMatch(/sign in|token/i);
  });
});

describe('bad input through the CLI', () => {
  it('a missing spec file, bad YAML and bad fields exit 2 naming the problem', async () => {
    const [missing, yaml, algorithm, grid, show] = await Promise.all([
      cliRefused('spec file does not exist', ['sweep', 'launch', '/nonexistent/spec.yaml']),
      cliRefused('spec is not YAML', [
        'sweep',
        'launch',
        specFile('bad.yaml', 'name: [unclosed\n  : :'),
      ]),
      cliRefused('algorithm: bayesian', [
        'sweep',
        'launch',
        specFile(
          'algo.yaml',
          'name: a\ndataset: demo:mnist-5-9\nbaseModel: demo:scratch\nalgorithm: bayesian\nsearchSpace: { headLr: { type: choice, values: [0.1] } }\n',
        ),
      ]),
      cliRefused('empty searchSpace', [
        'sweep',
        'launch',
        specFile(
          'empty.yaml',
          'name: a\ndataset: demo:mnist-5-9\nbaseModel: demo:scratch\nsearchSpace: {}\n',
        ),
      ]),
      cliRefused(`sweep show "'; DROP TABLE Trial; --"`, [
        'sweep',
        'show',
        `'; DROP TABLE Trial; --`,
      ]),
    ]);
    expect(missing).toMatch(/cannot read \/nonexistent\/spec\.yaml/);
    expect(yaml).toMatch(/not valid YAML/);
    expect(algorithm).toMatch(/algorithm/);
    expect(grid).toMatch(/searchSpace/);
    expect(show).toMatch(/not found/);
  }, 120_000);
});

describe('bad input through the trainer', () => {
  const trainerRow = async (input: string, c: TrainerCase, expectAll: RegExp[]) => {
    const { outcome, row } = await runTrainerCase(
      stored.repos,
      stored.existingSweepId + '-trainer-cases',
      join(stored.dir, 'work'),
      c,
    );
    rows.push([
      input,
      'trainer',
      outcome.status === 'failed' ? oneLine('failed', outcome.error ?? '') : outcome.status,
    ]);
    expect(outcome.status).toBe('failed');
    expect(row?.status).toBe('failed');
    for (const re of expectAll) expect(outcome.error).toMatch(re);
  };

  beforeAll(async () => {
    // The trainer cases' trials belong to a sweep of their own, not the stored one.
    await stored.repos.sweeps.create({
      id: stored.existingSweepId + '-trainer-cases',
      name: 'trainer cases',
      spec: parseSweepSpec(baseSpec),
      plannedTrials: 100,
    });
  });

  it('a trainer command that does not exist says to check trainer.command and PATH', () =>
    trainerRow('trainer command not found', { command: ['/nonexistent/train'] }, [
      /not found: \/nonexistent\/train/,
      /trainer\.command/,
    ]));

  it('a trainer printing garbage names the line and the protocol', () =>
    trainerRow(
      'trainer prints garbage',
      { command: ['sh', '-c', 'echo "Epoch 1/3 - loss: 0.4"; sleep 30'] },
      [/line 1/, /JSON-lines/],
    ));

  it('a NaN loss (Python json.dumps) explains divergence and the fix', () =>
    trainerRow(
      'NaN loss in a metric',
      {
        command: [
          'sh',
          '-c',
          `echo '{"type": "metric", "epoch": 0, "values": {"loss": NaN}}'; sleep 30`,
        ],
      },
      [/NaN/, /diverged/, /allow_nan=False/],
    ));

  it('a full disk for checkpoints names the disk and RETUNE_WORK_DIR', () =>
    trainerRow(
      'disk full for checkpoints (/dev/full)',
      {
        command: [process.execPath, join(repoRoot, 'trainers/synthetic/train.mjs')],
        params: { epochs: 2 },
        // Writes to /dev/full fail with ENOSPC, as on a full disk.
        prepare: (dir) => symlinkSync('/dev/full', join(dir, 'checkpoints', 'epoch-0.json')),
      },
      [/^no space left on device/, /ENOSPC/, /is full/, /RETUNE_WORK_DIR/],
    ));

  it('tfjs: nonexistent dataset, empty class, unreadable class, missing and wrong base model', async () => {
    const empty = await folderWithEmptyClass(join(stored.dir, 'empty-class'));
    const corrupt = await folderWithCorruptClass(join(stored.dir, 'corrupt-class'));
    const vector = vectorInputModel(join(stored.dir, 'vector-model'));
    // Concurrently: each pays the tfjs start-up once.
    await Promise.all([
      trainerRow(
        'dataset path does not exist',
        { command: tfjsTrainer, dataset: '/nonexistent/images' },
        [/\/nonexistent\/images/, /does not exist/, /demo: dataset or an image folder/],
      ),
      trainerRow('dataset with an empty class', { command: tfjsTrainer, dataset: empty }, [
        /empty/,
        /has no images/,
        /remove it or add images/,
      ]),
      trainerRow('dataset class of corrupt images', { command: tfjsTrainer, dataset: corrupt }, [
        /broken/,
        /no readable images/,
      ]),
      trainerRow(
        'base model missing',
        { command: tfjsTrainer, baseModel: '/nonexistent/model.json' },
        [/\/nonexistent\/model\.json/],
      ),
      trainerRow('base model input not an image', { command: tfjsTrainer, baseModel: vector }, [
        /image input/,
        /\[batch, 10\]/,
      ]),
    ]);
  }, 180_000);
});

describe('stored data', () => {
  it('the sweep stored before all this is unchanged', async () => {
    const after = (await snapshot(stored.db, stored.existingSweepId)) as { sweepCount: number };
    // Only the probes that were meant to be accepted added sweeps (SQL-looking name, trainer cases).
    expect({ ...after, sweepCount: 0 }).toEqual({ ...(before as object), sweepCount: 0 });
    // Workflows started only for the probes that were accepted (the SQL-looking name, and the
    // known weaknesses above), never for a refused one.
    const accepted = rows.filter((r) => r[2] === 'ACCEPTED').length;
    expect(gateway.started).toHaveLength(1 + accepted);
  });
});
