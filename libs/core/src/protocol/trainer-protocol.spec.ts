import { describe, expect, it } from 'vitest';
import { parseTrainerLine } from './trainer-protocol';
import { describeDeviceFacts } from './device-facts';

describe('parseTrainerLine', () => {
  it('parses each message type and defaults step and level', () => {
    expect(parseTrainerLine('{"type":"metric","epoch":3,"values":{"loss":0.4}}', 1)).toEqual({
      kind: 'message',
      message: { type: 'metric', epoch: 3, step: 0, values: { loss: 0.4 } },
    });
    expect(parseTrainerLine('{"type":"checkpoint","epoch":1,"path":"/c/1"}', 2).kind).toBe(
      'message',
    );
    expect(parseTrainerLine('{"type":"log","msg":"hi"}', 3)).toEqual({
      kind: 'message',
      message: { type: 'log', level: 'info', msg: 'hi' },
    });
    expect(
      parseTrainerLine('{"type":"result","values":{"val_acc":0.9},"artifact":"m/"}', 4).kind,
    ).toBe('message');
  });

  it('ignores blank lines', () => {
    expect(parseTrainerLine('   ', 5)).toEqual({ kind: 'blank' });
  });

  it('reports garbage with its line number', () => {
    const r = parseTrainerLine('Epoch 1/10 ....', 7);
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.error).toMatch(/stdout line 7: not JSON: "Epoch 1\/10/);
  });

  it('reports schema violations with the field', () => {
    const r = parseTrainerLine('{"type":"metric","epoch":-1,"values":{}}', 12);
    expect(r.kind === 'error' && r.error).toMatch(/line 12: .* at epoch/);
    const u = parseTrainerLine('{"type":"telemetry"}', 13);
    expect(u.kind === 'error' && u.error).toMatch(/line 13/);
    const s = parseTrainerLine('{"type":"metric","epoch":1,"values":{"loss":"high"}}', 14);
    expect(s.kind === 'error' && s.error).toMatch(/values\.loss/);
  });
});

describe('device facts on a log line', () => {
  it('accepts the optional device field and rejects unknown keys in it', () => {
    const device = {
      backend: 'tensorflow',
      device: 'CPU',
      framework: 'tensorflow',
      frameworkVersion: '2.20.0',
    };
    const ok = parseTrainerLine(JSON.stringify({ type: 'log', msg: 'x', device }), 1);
    expect(ok).toMatchObject({ kind: 'message', message: { device } });
    const bad = parseTrainerLine(
      JSON.stringify({ type: 'log', msg: 'x', device: { ...device, gpu: true } }),
      2,
    );
    expect(bad.kind).toBe('error');
  });

  it('describes them in one line', () => {
    expect(
      describeDeviceFacts({
        backend: 'cuda',
        device: 'NVIDIA H200',
        framework: 'torch',
        frameworkVersion: '2.9.0',
        cuda: '12.8',
        cudnn: '91002',
      }),
    ).toBe('cuda on NVIDIA H200 (torch 2.9.0, CUDA 12.8, cuDNN 91002)');
  });
});
