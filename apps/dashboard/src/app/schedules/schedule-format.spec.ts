import { describe, expect, it } from 'vitest';
import { outcomeTone, scheduleToInput } from './schedule-format';

describe('schedule display helpers', () => {
  it('colours outcomes', () => {
    expect(outcomeTone('promoted')).toBe('ok');
    expect(outcomeTone('kept')).toBe('muted');
  });

  it('turns a stored schedule back into the input the form edits', () => {
    const input = scheduleToInput({
      name: 'n',
      task: 't',
      spec: { name: 's' },
      policy: 'retrain-champion',
      cron: null,
      intervalSeconds: 60,
      timezone: 'UTC',
      overlapPolicy: 'skip',
      catchupWindowSeconds: 3600,
      promoteMargin: 0,
      webhookUrl: null,
      paused: false,
    });
    expect(input).toMatchObject({ intervalSeconds: 60, spec: { name: 's' } });
    expect(input).not.toHaveProperty('cron');
    expect(input).not.toHaveProperty('webhookUrl');
  });
});
