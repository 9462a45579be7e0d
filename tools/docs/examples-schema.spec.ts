import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseRetrainScheduleSpec, parseSweepSpec } from '@retune/core';
import { ROOT } from './generated-docs';

/** Each published schema and the parser Retune itself reads such a file with. */
const SCHEMAS: Record<string, (input: unknown) => unknown> = {
  'sweep-spec.schema.json': parseSweepSpec,
  'retrain-schedule.schema.json': parseRetrainScheduleSpec,
};
const MODELINE = /^# yaml-language-server: \$schema=(\S+)\n/;

const examples = (readdirSync(join(ROOT, 'examples'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(ROOT, 'examples', f));

/** The published JSON Schema as a zod validator (zod reads JSON Schema too: no extra dependency). */
function jsonSchemaValidator(path: string): z.ZodType {
  return z.fromJSONSchema(JSON.parse(readFileSync(path, 'utf8')));
}

describe('examples/', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((path) => [relative(ROOT, path), path]))(
    '%s names its JSON Schema, passes it, and parses',
    (_, path) => {
      const text = readFileSync(path, 'utf8');
      const modeline = MODELINE.exec(text);
      expect(modeline, 'first line: # yaml-language-server: $schema=<relative path>').not.toBe(
        null,
      );
      const schemaPath = resolve(dirname(path), modeline![1]!);
      expect(dirname(schemaPath)).toBe(join(ROOT, 'docs', 'schema'));
      const parse = SCHEMAS[basename(schemaPath)];
      expect(parse, `${modeline![1]} is not a published schema`).toBeDefined();

      const input: unknown = parseYaml(text);
      const checked = jsonSchemaValidator(schemaPath).safeParse(input);
      expect(checked.error?.issues ?? []).toEqual([]);
      expect(() => parse!(input)).not.toThrow();
    },
  );

  it('the published sweep-spec schema refuses what Retune refuses', () => {
    const validator = jsonSchemaValidator(join(ROOT, 'docs/schema/sweep-spec.schema.json'));
    const spec = {
      name: 'n',
      dataset: 'demo:mnist-5-9',
      baseModel: 'demo:mnist-0-4-cnn',
      algorithm: 'grid',
      searchSpace: { headLr: { type: 'loguniform', min: 0.001, max: 0.1, gridPoints: 3 } },
      earlyStopping: { type: 'asha', minResource: 1 },
    };
    expect(validator.safeParse(spec).success).toBe(true);
    expect(validator.safeParse({ ...spec, algorithm: 'bayes' }).success).toBe(false);
    expect(validator.safeParse({ ...spec, maxTrail: 3 }).success).toBe(false);
    expect(validator.safeParse({ ...spec, earlyStopping: { type: 'hyperband' } }).success).toBe(
      false,
    );
  });
});
