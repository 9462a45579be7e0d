import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trialTiming } from './trial-timing';

describe('trialTiming', () => {
  it('appends one line per attempt with its phases in order', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'retune-timing-')), 't.txt');
    const t = trialTiming('s1-t0', file);
    t.mark('running');
    t.mark('input');
    t.end();
    const line = readFileSync(file, 'utf8').trim();
    expect(line).toMatch(/^s1-t0 start=\d+ running=\d+ input=\d+ end=\d+$/);
  });

  it('is one shared no-op without a file (nothing allocated per trial)', () => {
    expect(trialTiming('s1-t0', undefined)).toBe(trialTiming('s1-t1', undefined));
  });
});
