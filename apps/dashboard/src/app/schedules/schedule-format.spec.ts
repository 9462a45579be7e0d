import { describe, expect, it } from 'vitest';
import { deltaLabel, outcomeTone, scheduleToInput, timingLabel } from './schedule-format';

describe('schedule display helpers', () => {
  it('labels intervals in the largest whole unit, and cron with its timezone', () => {
    expect(timingLabel({ cron: null, intervalSeconds: 7200, timezone: 'UTC' })).toBe('every 2 h');
    expect(timingLabel({ cron: null, intervalSeconds: 90, timezone: 'UTC' })).toBe('every 90 s');
    expect(
      timingLabel({ cron: '0 3 * * *', intervalSeconds: null, timezone: 'Europe/Paris' }),
    ).toBe('cron 0 3 * * * (Europe/Paris)');
  });

  it('signs metric deltas and colours outcomes', () => {
    expect(deltaLabel(0.01234)).toBe('+0.0123');
    expect(deltaLabel(-0.004)).toBe('−0.004');
    expect(deltaLabel(0)).toBe('±0');
    expect(deltaLabel(null)).toBe('—');
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
