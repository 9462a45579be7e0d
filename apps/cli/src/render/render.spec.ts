import { describe, expect, it } from 'vitest';
import type { SweepDetail, TrialView } from '@retune/core';
import { renderProgress } from './progress';
import { extendRequests } from '../commands/sweep';
import {
  renderParetoFront,
  renderSweepHeader,
  renderSweepList,
  renderTrials,
  sortTrials,
} from './sweep-tables';
import { renderTable } from './table';

const trial = (
  number: number,
  objective: number | null,
  status: TrialView['status'] = 'completed',
): TrialView => ({
  id: `s-t${number}`,
  number,
  params: { headLr: 0.001 * 10 ** number, augment: 'light' },
  status,
  objective,
  values: {},
  error: status === 'failed' ? 'trainer exited with code 1: boom\nmore' : null,
  worker: 'w',
  slot: 0,
  attempts: 1,
  startedAt: null,
  finishedAt: null,
  durationMs: objective === null ? null : 1500,
});

const sweep: SweepDetail = {
  id: 's',
  name: 'demo',
  status: 'running',
  algorithm: 'grid',
  metricName: 'val_acc',
  metricGoal: 'maximize',
  plannedTrials: 4,
  counts: { pending: 1, running: 0, completed: 2, pruned: 0, failed: 1, cancelled: 0 },
  bestTrialId: 's-t1',
  bestValue: 0.9134,
  workflowId: 'sweep-s',
  error: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  dataset: 'd',
  baseModel: 'b',
  spec: {},
  trials: [trial(0, 0.5), trial(1, 0.9134), trial(2, null, 'failed'), trial(3, null, 'pending')],
};

describe('CLI rendering', () => {
  it('draws the progress bar with counts and the best value', () => {
    expect(renderProgress(sweep, 8)).toBe('[######--] 3/4 done · 1 failed · best val_acc 0.9134');
    expect(renderProgress({ ...sweep, status: 'paused', bestValue: null }, 8)).toBe(
      '[######--] 3/4 done · 1 failed · paused',
    );
  });

  it('sorts trials best first for either goal, unfinished last', () => {
    expect(sortTrials(sweep.trials, 'maximize').map((t) => t.number)).toEqual([1, 0, 2, 3]);
    expect(sortTrials(sweep.trials, 'minimize').map((t) => t.number)).toEqual([0, 1, 2, 3]);
  });

  it('sorts and marks infeasible trials after the feasible ones: never shown as best', () => {
    const trials = [trial(0, 0.5), { ...trial(1, 0.9134), infeasible: true }];
    const marked = { ...sweep, trials };
    expect(sortTrials(trials, 'maximize').map((t) => t.number)).toEqual([0, 1]);
    expect(renderTrials(marked).split('\n')[3]).toMatch(/^\s*1\s+completed \(infeasible\)/);
  });

  it('shows GPU time against the budget in the list and the header, only with a budget', () => {
    const budgeted = { ...sweep, gpuHoursBudget: 2, gpuSecondsUsed: 4320 };
    expect(renderSweepHeader(budgeted)).toContain('GPU time: 1.2 / 2 GPU-h');
    expect(renderSweepHeader(sweep)).not.toContain('GPU');
    const list = renderSweepList([budgeted, sweep]).split('\n');
    expect(list[0]).toMatch(/\bgpu\b/);
    expect(list[2]).toContain('1.2 / 2 GPU-h');
    expect(renderSweepList([sweep]).split('\n')[0]).not.toMatch(/\bgpu\b/);
  });

  it('reads `sweep extend` arguments: trials, --gpu-hours or both, with named errors', () => {
    expect(extendRequests('3', undefined)).toEqual([{ action: 'extendBudget', extraTrials: 3 }]);
    expect(extendRequests(undefined, '0.5')).toEqual([
      { action: 'extendGpuBudget', extraGpuHours: 0.5 },
    ]);
    expect(extendRequests('2', '1')).toHaveLength(2);
    expect(() => extendRequests(undefined, '0')).toThrow(/--gpu-hours: .*more than 0/);
    expect(() => extendRequests(undefined, 'lots')).toThrow(/--gpu-hours/);
    expect(() => extendRequests('x', undefined)).toThrow(/extraTrials must be a positive integer/);
    expect(() => extendRequests(undefined, undefined)).toThrow(/--gpu-hours <hours>/);
  });

  it('renders a trials table with one column per param and the first error line', () => {
    const lines = renderTrials(sweep).split('\n');
    expect(lines[0]).toMatch(/^trial\s+status\s+headLr\s+augment\s+val_acc\s+duration\s+error$/);
    expect(lines[2]).toMatch(/^\s*1\s+completed\s+0\.01\s+light\s+0\.9134\s+1\.5 s/);
    expect(lines[4]).toContain('trainer exited with code 1: boom');
    expect(lines[4]).not.toContain('more');
  });

  it('lists the Pareto front with one column per objective', () => {
    const text = renderParetoFront(sweep, {
      objectives: [
        { name: 'val_acc', goal: 'maximize' },
        { name: 'trainable_params', goal: 'minimize' },
      ],
      points: [
        { trialId: sweep.trials[0]!.id, number: 0, values: [0.5, 100], onFront: true },
        { trialId: sweep.trials[1]!.id, number: 1, values: [0.9134, 900], onFront: true },
      ],
    }).split('\n');
    expect(text[0]).toBe('Pareto front (2 of 2 completed trials):');
    expect(text[1]).toMatch(/^trial\s+val_acc \(max\)\s+trainable_params \(min\)\s+params$/);
    expect(text[3]).toMatch(/^\s*0\s+0\.5\s+100\s+\{/);
    expect(renderParetoFront(sweep, { objectives: [], points: [] })).toMatch(/no completed trial/);
  });

  it('aligns columns', () => {
    expect(
      renderTable(
        ['a', 'n'],
        [
          ['x', 1],
          ['yy', 10],
        ],
      ),
    ).toBe('a    n\n──  ──\nx    1\nyy  10');
  });
});
