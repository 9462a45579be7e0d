import { describe, expect, it } from 'vitest';
import { parseWorkerArgs, UsageError } from './args';

describe('parseWorkerArgs', () => {
  it('defaults to one CPU slot on both queues', () => {
    expect(parseWorkerArgs([])).toEqual({
      slots: { kind: 'cpu', slots: 1 },
      queues: { control: true, gpu: true },
      gpusAuto: false,
    });
  });

  it('reads --slots, --gpus and --queues', () => {
    expect(parseWorkerArgs(['--slots', '4']).slots).toEqual({ kind: 'cpu', slots: 4 });
    expect(parseWorkerArgs(['--gpus=0,1,3']).slots).toEqual({ kind: 'gpu', gpus: [0, 1, 3] });
    expect(parseWorkerArgs(['--queues', 'gpu']).queues).toEqual({ control: false, gpu: true });
  });

  it('rejects bad values with a message naming the flag', () => {
    expect(() => parseWorkerArgs(['--slots', '0'])).toThrow(/--slots must be an integer/);
    expect(() => parseWorkerArgs(['--gpus', 'a,b'])).toThrow(/--gpus takes GPU indices/);
    expect(() => parseWorkerArgs(['--gpus', '1,1'])).toThrow(/twice/);
    expect(() => parseWorkerArgs(['--slots', '2', '--gpus', '0'])).toThrow(
      /either --slots .* or --gpus/,
    );
    expect(() => parseWorkerArgs(['--queues', 'cpu'])).toThrow(UsageError);
    expect(() => parseWorkerArgs(['--slots'])).toThrow(/needs a value/);
    expect(() => parseWorkerArgs(['--verbose'])).toThrow(/unknown argument "--verbose"/);
  });
});
