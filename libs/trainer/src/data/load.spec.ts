import { describe, expect, it } from 'vitest';
import { loadDemoDataset } from './demo';
import { loadTrialDataset } from './load';

const params = { trainPerClass: 2, valPerClass: 1, dataSeed: 0, valFraction: 0.2 };

describe('loadTrialDataset converts demo datasets to the base input', () => {
  it('28×28 grey digits become 32×32 RGB (channels replicated) for an RGB base', async () => {
    const { train, val } = await loadTrialDataset('demo:mnist-5-9', params, {
      imageShape: [32, 32, 3],
    });
    expect(train.shape).toEqual([32, 32, 3]);
    expect(val.shape).toEqual([32, 32, 3]);
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(train.images.length).toBe(10 * 32 * 32 * 3);
    const px = train.images;
    const grey = px.every((v, i) => v === px[i - (i % 3)]);
    expect(grey).toBe(true);
    expect(px.some((v) => v > 200)).toBe(true);
    expect(train.labels).toEqual(loadDemoDataset('demo:mnist-5-9', params).train.labels);
  });

  it('keeps the demo images as they are on the demo bases, and rejects 4-channel bases', async () => {
    const plain = loadDemoDataset('demo:mnist-5-9', params);
    const same = await loadTrialDataset('demo:mnist-5-9', params, { imageShape: [28, 28, 1] });
    expect(same.train.images).toEqual(plain.train.images);
    await expect(
      loadTrialDataset('demo:mnist-5-9', params, { imageShape: [28, 28, 4] }),
    ).rejects.toThrow(/base model takes 4-channel images/);
  });
});
