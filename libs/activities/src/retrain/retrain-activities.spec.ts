import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { RetrainNotification } from '@retune/core';
import { postWebhook } from './notify-webhook';
import { fingerprintDataset } from './snapshot-dataset';

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'retune-ds-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

describe('fingerprintDataset', () => {
  it('counts files and hashes paths and contents, independent of creation order', async () => {
    const a = await fingerprintDataset(folder({ 'b/2.png': 'two', 'a/1.png': 'one' }));
    const b = await fingerprintDataset(folder({ 'a/1.png': 'one', 'b/2.png': 'two' }));
    expect(a).toEqual(b);
    expect(a.fileCount).toBe(2);
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a file changes, moves or is added', async () => {
    const base = await fingerprintDataset(folder({ 'a/1.png': 'one' }));
    const edited = await fingerprintDataset(folder({ 'a/1.png': 'ONE' }));
    const moved = await fingerprintDataset(folder({ 'b/1.png': 'one' }));
    const added = await fingerprintDataset(folder({ 'a/1.png': 'one', 'a/2.png': '' }));
    const hashes = new Set([base, edited, moved, added].map((f) => f.contentHash));
    expect(hashes.size).toBe(4);
    expect(added.fileCount).toBe(2);
  });

  it('identifies a named dataset by its name', async () => {
    const demo = await fingerprintDataset('demo:mnist-5-9');
    expect(demo.fileCount).toBe(0);
    expect(await fingerprintDataset('demo:mnist-5-9')).toEqual(demo);
    expect((await fingerprintDataset('demo:mnist-5-9@v2')).contentHash).not.toBe(demo.contentHash);
  });

  it('fails for a folder that does not exist', async () => {
    await expect(fingerprintDataset('/nonexistent/retune-dataset')).rejects.toThrow(/ENOENT/);
  });
});

describe('postWebhook', () => {
  const body: RetrainNotification = {
    event: 'retrain.finished',
    schedule: 's',
    task: 't',
    runId: 'r',
    status: 'kept',
    reason: 'no gain',
    candidateMetric: 0.9,
    championMetric: 0.91,
    candidateVersionId: 'mv',
  };

  it('posts the notification as JSON', async () => {
    const seen: RequestInit[] = [];
    const res = await postWebhook(
      async (_url, init) => {
        seen.push(init);
        return new Response(null, { status: 204 });
      },
      'http://hook',
      body,
    );
    expect(res.status).toBe(204);
    expect(JSON.parse(seen[0]!.body as string)).toEqual(body);
  });

  it('throws a retryable error on 5xx and a non-retryable one on other 4xx', async () => {
    const answer = (status: number) => async () => new Response('no', { status });
    const e500 = await postWebhook(answer(500), 'http://hook', body).catch((e: unknown) => e);
    expect(e500).toBeInstanceOf(Error);
    expect(e500).not.toBeInstanceOf(ApplicationFailure);
    const e404 = await postWebhook(answer(404), 'http://hook', body).catch((e: unknown) => e);
    expect(e404).toBeInstanceOf(ApplicationFailure);
    expect((e404 as ApplicationFailure).nonRetryable).toBe(true);
  });
});
