import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../errors';
import { datasetExportCommand } from './dataset';

const tmp = mkdtempSync(join(tmpdir(), 'retune-cli-dataset-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('retune dataset export', () => {
  it('writes the demo task as train/ and val/ class folders of PNGs', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const dir = join(tmp, 'digits');
    const code = await datasetExportCommand('demo:mnist-5-9', dir, {
      trainPerClass: '2',
      valPerClass: '1',
    });
    expect(code).toBe(0);
    expect(readdirSync(join(dir, 'train'))).toEqual(['5', '6', '7', '8', '9']);
    expect(readdirSync(join(dir, 'val', '9'))).toEqual(['0000.png']);
    expect(log.mock.calls.flat().join('\n')).toContain(`dataset: ${dir}`);
    log.mockRestore();
  });

  it('bad names and counts are input errors (exit 2), before anything is written', async () => {
    const dir = join(tmp, 'never');
    await expect(datasetExportCommand('demo:cifar', dir)).rejects.toThrow(
      /unknown demo dataset "demo:cifar" \(known: demo:mnist-0-4, .*demo:fashion/,
    );
    const bad = datasetExportCommand('demo:mnist-5-9', dir, { trainPerClass: '0' });
    await expect(bad).rejects.toBeInstanceOf(CliError);
    await expect(bad).rejects.toThrow('--train-per-class must be a positive integer, got "0"');
    expect(existsSync(dir)).toBe(false);
  });
});
