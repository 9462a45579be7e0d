import { describe, expect, it } from 'vitest';
import { compareRecordedMetrics } from './recorded-metrics';

describe('compareRecordedMetrics', () => {
  it("brings each model's recorded metric, none for a missing champion", () => {
    expect(compareRecordedMetrics(0.9, { metricValue: 0.8 })).toEqual({
      candidate: 0.9,
      champion: 0.8,
      method: 'recorded',
    });
    expect(compareRecordedMetrics(null, null)).toEqual({
      candidate: null,
      champion: null,
      method: 'recorded',
    });
  });
});
