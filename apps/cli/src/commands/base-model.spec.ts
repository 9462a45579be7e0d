import { describe, expect, it } from 'vitest';
import { fetchLimited, inputShapeOf } from './base-model';

describe('inputShapeOf', () => {
  it('finds the declared input shape of a tfjs model.json, in either spelling', () => {
    const keras = {
      modelTopology: {
        model_config: {
          config: { layers: [{ config: { batch_input_shape: [null, 28, 28, 1] } }] },
        },
      },
    };
    expect(inputShapeOf(keras)).toEqual([null, 28, 28, 1]);
    expect(inputShapeOf({ a: [{ batchInputShape: [null, 32, 32, 3] }] })).toEqual([
      null,
      32,
      32,
      3,
    ]);
    expect(inputShapeOf({ weightsManifest: [] })).toBeNull();
  });
});

describe('fetchLimited', () => {
  it('gives up on a download over the size limit', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('x'.repeat(2048)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as import('node:net').AddressInfo;
    try {
      await expect(fetchLimited(`http://127.0.0.1:${port}/`, 1024, 5_000)).rejects.toThrow(
        /1024-byte limit/,
      );
      expect(await fetchLimited(`http://127.0.0.1:${port}/`, 4096, 5_000)).toHaveLength(2048);
    } finally {
      server.close();
    }
  });
});
