import { describe, expect, it } from 'vitest';
import { limitBody } from './body-limit';

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/trpc/sweep.launch', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit);

describe('limitBody', () => {
  it('passes small bodies through intact', async () => {
    const out = await limitBody(post(JSON.stringify({ spec: { name: 'x' } })), 100);
    expect(out).toBeInstanceOf(Request);
    expect(await (out as Request).json()).toEqual({ spec: { name: 'x' } });
  });

  it('refuses a body whose Content-Length is over the limit, with 413 and the limit', async () => {
    const out = await limitBody(post('x'.repeat(200), { 'content-length': '200' }), 100);
    expect(out).toBeInstanceOf(Response);
    expect((out as Response).status).toBe(413);
    expect(await (out as Response).json()).toMatchObject({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringMatching(/200 bytes.*at most 1 MiB/),
      },
    });
  });

  it('refuses a streamed body once it grows past the limit', async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64;
        controller.enqueue(new Uint8Array(64));
        if (sent > 10_000) controller.close();
      },
    });
    const out = await limitBody(post(stream), 1000);
    expect((out as Response).status).toBe(413);
    expect(sent).toBeLessThan(10_000); // stopped reading early
  });

  it('leaves bodiless GETs alone', async () => {
    const req = new Request('http://localhost/api/trpc/sweep.list');
    expect(await limitBody(req)).toBe(req);
  });
});
