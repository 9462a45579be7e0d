/** The API takes sweep specs and small forms; nothing legitimate comes near this. */
export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(size: string): Response {
  return Response.json(
    {
      error: {
        message: `request body is ${size}; the API accepts at most 1 MiB (a sweep spec is a few KB: check what is being sent)`,
        code: 'PAYLOAD_TOO_LARGE',
      },
    },
    { status: 413 },
  );
}

/**
 * Refuses request bodies over `max` bytes before anything parses them: by Content-Length when
 * the client sends one, else while streaming (chunked uploads). Returns the request to handle,
 * its body already read, or the 413 answer.
 */
export async function limitBody(req: Request, max = MAX_BODY_BYTES): Promise<Request | Response> {
  if (!req.body) return req;
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) return tooLarge(`${declared} bytes`);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return tooLarge(`over ${max} bytes`);
    }
    chunks.push(value);
  }
  return new Request(req, { body: Buffer.concat(chunks), duplex: 'half' } as RequestInit);
}
