import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadModel, DownloadRefusedError, type DownloadPolicy } from './guarded-download';

// One local server plays every remote: a small model, an oversize one, a slow one, redirects.
const MODEL = JSON.stringify({
  modelTopology: {},
  weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
});
const hits: string[] = [];
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const url = req.url ?? '';
    if (url.startsWith('/redirect/')) {
      res.statusCode = 302;
      res.setHeader('location', `http://127.0.0.1:${port}/ok/model.json`);
      return res.end();
    }
    if (url.endsWith('/model.json')) return res.end(MODEL);
    if (url.endsWith('/weights.bin')) {
      // The oversize model's weights never stop coming and declare no length.
      if (url.startsWith('/huge/')) {
        const chunk = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (res.write(chunk));
          res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        return pump();
      }
      if (url.startsWith('/slow/')) return res.write(Buffer.alloc(10)); // then nothing more
      return res.end(Buffer.alloc(1000, 7));
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const policy = (over: Partial<DownloadPolicy> = {}): DownloadPolicy => ({
  maxBytes: 1024 * 1024,
  timeoutMs: 30_000,
  allowedHosts: ['127.0.0.1'],
  ...over,
});
const freshDir = () => join(mkdtempSync(join(tmpdir(), 'retune-dl-')), 'model');

describe('the trainer downloading a base model URL', () => {
  it('fetches model.json and its weights within the limits', async () => {
    const dir = freshDir();
    const path = await downloadModel(`http://127.0.0.1:${port}/ok/model.json`, dir, policy());
    expect(path).toBe(join(dir, 'model.json'));
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('refuses an oversize model, names the setting, and leaves no partial file', async () => {
    const dir = freshDir();
    await expect(
      downloadModel(`http://127.0.0.1:${port}/huge/model.json`, dir, policy({ maxBytes: 200_000 })),
    ).rejects.toThrow(
      /larger than 0.19 MB \(rule: downloads are size-limited\).*RETUNE_DOWNLOAD_MAX_MB/,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('gives up on a server that stops sending, naming the timeout setting', async () => {
    const dir = freshDir();
    const err = await downloadModel(
      `http://127.0.0.1:${port}/slow/model.json`,
      dir,
      policy({ timeoutMs: 300 }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadRefusedError);
    expect((err as Error).message).toMatch(/time-limited.*RETUNE_DOWNLOAD_TIMEOUT_S/);
    expect(existsSync(dir)).toBe(false);
  });

  it('re-checks redirects: one to 127.0.0.1 is refused unless that host is allowlisted', async () => {
    // "localhost" is allowlisted and answers with a redirect to 127.0.0.1, which is not.
    const start = `http://localhost:${port}/redirect/model.json`;
    hits.length = 0;
    await expect(
      downloadModel(start, freshDir(), policy({ allowedHosts: ['localhost'] })),
    ).rejects.toThrow(/rule: .*"127\.0\.0\.1" to RETUNE_ALLOWED_HOSTS/);
    expect(hits).toEqual(['/redirect/model.json']); // the redirect's target was never fetched
    const dir = freshDir();
    await downloadModel(start, dir, policy({ allowedHosts: ['localhost', '127.0.0.1'] }));
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
  });

  it('refuses loopback and metadata addresses before any request', async () => {
    hits.length = 0;
    for (const url of [
      `http://127.0.0.1:${port}/ok/model.json`,
      'https://169.254.169.254/latest/model.json',
      'https://[::1]/model.json',
    ]) {
      await expect(downloadModel(url, freshDir(), policy({ allowedHosts: [] }))).rejects.toThrow(
        /rule: /,
      );
    }
    expect(hits).toEqual([]);
  });
});
