import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATE_COMMAND, generatedDocs, ROOT } from './generated-docs';

describe('generated docs', () => {
  it('are committed as generated from the zod schemas in libs/core', async () => {
    const docs = await generatedDocs();
    expect(docs.size).toBeGreaterThan(0);
    for (const [path, expected] of docs) {
      let committed: string | undefined;
      try {
        committed = readFileSync(ROOT + path, 'utf8');
      } catch {
        committed = undefined;
      }
      expect(committed, `${path} is missing or stale: run \`${GENERATE_COMMAND}\``).toBe(expected);
    }
  });
});
