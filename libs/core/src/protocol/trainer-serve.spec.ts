import { describe, expect, it } from 'vitest';
import { parseServeRequest, serveTrialLine } from './trainer-serve';

const input = {
  trialId: 's-0',
  params: { lr: 0.1 },
  baseModel: 'b',
  dataset: 'd',
  checkpointDir: '/c',
  seed: 1,
  device: { kind: 'cpu' as const },
};

describe('serve requests', () => {
  it('round-trips a trial line and reads stop', () => {
    const line = serveTrialLine(input);
    expect(line.endsWith('\n')).toBe(true);
    expect(parseServeRequest(line.trim())).toEqual({
      ok: true,
      request: { type: 'trial', input },
    });
    expect(parseServeRequest('{"type":"stop"}')).toEqual({ ok: true, request: { type: 'stop' } });
  });

  it('names what is wrong', () => {
    expect(parseServeRequest('nope')).toMatchObject({ ok: false, error: /not JSON/ });
    const bad = parseServeRequest('{"type":"trial","input":{"trialId":""}}');
    expect(bad).toMatchObject({ ok: false, error: /at input\.trialId/ });
  });
});
