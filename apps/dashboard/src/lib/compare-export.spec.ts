import type { Comparison } from '@retune/api';
import { describe, expect, it } from 'vitest';
import { comparisonToCsv, comparisonToJson, parseTrialIds } from './compare-export';

const trial = (id: string, over: Partial<Comparison['trials'][number]> = {}) => ({
  id,
  number: 1,
  params: { lr: 0.01 },
  status: 'completed' as const,
  objective: 0.9,
  values: { val_acc: 0.9 },
  error: null,
  worker: 'w',
  slot: 0,
  attempts: 1,
  startedAt: null,
  finishedAt: null,
  durationMs: 1200,
  sweepId: 'sw_1',
  sweepName: 'a, "quoted" sweep',
  dataset: 'demo:mnist-5-9',
  metricName: 'val_acc',
  metricGoal: 'maximize' as const,
  artifact: null,
  device: null,
  curves: { val_acc: { epochs: [0], values: [0.9] } },
  ...over,
});

describe('compare export', () => {
  const c: Comparison = {
    trials: [
      trial('t1'),
      trial('t2', {
        number: 2,
        params: { lr: 0.1, aug: 'light' },
        values: { val_acc: 0.8, val_loss: 0.3 },
      }),
    ],
    params: ['lr', 'aug'],
    differingParams: ['lr', 'aug'],
    metrics: ['val_acc', 'val_loss'],
  };

  it('CSV: a header, one row per trial, params and final metrics as columns, RFC 4180 quoting', () => {
    expect(comparisonToCsv(c).split('\r\n')).toEqual([
      'trial_id,sweep_id,sweep_name,number,status,objective_metric,objective,duration_ms,param.lr,param.aug,metric.val_acc,metric.val_loss',
      't1,sw_1,"a, ""quoted"" sweep",1,completed,val_acc,0.9,1200,0.01,,0.9,',
      't2,sw_1,"a, ""quoted"" sweep",2,completed,val_acc,0.9,1200,0.1,light,0.8,0.3',
      '',
    ]);
  });

  it('JSON keeps the curves', () => {
    expect(JSON.parse(comparisonToJson(c)).trials[0].curves.val_acc.values).toEqual([0.9]);
  });

  it('parses the trials query parameter', () => {
    expect(parseTrialIds(' a,b,,a , c')).toEqual(['a', 'b', 'c']);
    expect(parseTrialIds(['a,b', 'c'], 2)).toEqual(['a', 'b']);
    expect(parseTrialIds(undefined)).toEqual([]);
  });
});
