import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRetrainActivities } from './retrain-activities';
import { assertOutboundUrl } from './outbound-url';

describe('webhooks the worker calls', () => {
  it('refuses loopback, metadata and names resolving to private addresses, without fetching', async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      req.resume();
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const activities = createRetrainActivities({ repos: {} as never });
      const body = { event: 'retrain.finished' } as never;
      await expect(activities.notifyWebhook(`http://127.0.0.1:${port}/hook`, body)).rejects.toThrow(
        /RETUNE_ALLOWED_HOSTS/,
      );
      await expect(
        activities.notifyWebhook(`https://127.0.0.1:${port}/hook`, body),
      ).rejects.toThrow(/loopback/);
      expect(hits).toBe(0);
      // An admin's allowlist lets the host through.
      const allowed = createRetrainActivities({ repos: {} as never, allowedHosts: ['127.0.0.1'] });
      await expect(allowed.notifyWebhook(`http://127.0.0.1:${port}/hook`, body)).resolves.toEqual({
        status: 200,
      });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
    await expect(
      assertOutboundUrl(
        'webhookUrl',
        'https://hooks.example.com/x',
        { allowedHosts: [] },
        async () => ['169.254.169.254'],
      ),
    ).rejects.toThrow(/hooks\.example\.com is a link-local \(cloud metadata\) address/);
  });
});
