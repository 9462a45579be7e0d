import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseLaunchSpec } from '@retune/core';

const dir = fileURLToPath(new URL('../../../examples/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('examples/', () => {
  it('has the specs the README points to', () => {
    expect(files).toEqual(
      expect.arrayContaining(['demo-sweep.yaml', 'transfer-sweep.yaml', 'tradeoff-sweep.yaml']),
    );
  });

  it.each(files)('%s is a valid sweep spec that launches (known trainer params)', (file) => {
    const spec = parseLaunchSpec(parseYaml(readFileSync(dir + file, 'utf8')));
    expect(spec.name.length).toBeGreaterThan(0);
  });
});
