import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { SWEEP_STATUSES } from '@retune/core';
import { sdkApiSchema } from './api-schema';

const committed = fileURLToPath(
  new URL('../../../../sdk/python/src/retune/api_schema.json', import.meta.url),
);
// Formatted as `prettier --check .` (part of `npm test`) wants the committed file.
const render = async () =>
  format(JSON.stringify(sdkApiSchema()), {
    ...(await resolveConfig(committed)),
    filepath: committed,
  });

describe('the Python SDK API schema', () => {
  it('matches the router (regenerate it with RETUNE_WRITE_SDK_SCHEMA=1 when this fails)', async () => {
    const fresh = await render();
    if (process.env['RETUNE_WRITE_SDK_SCHEMA'] === '1') writeFileSync(committed, fresh);
    expect(
      readFileSync(committed, 'utf8'),
      'sdk/python/src/retune/api_schema.json is stale: run RETUNE_WRITE_SDK_SCHEMA=1 npx vitest run src/sdk/api-schema.spec.ts in libs/api, then check the Python client still fits',
    ).toBe(fresh);
  });

  it("holds the sweep statuses the client's wait() knows as final", () => {
    // sdk/python/src/retune/client.py: FINAL_SWEEP_STATUSES
    for (const s of ['completed', 'cancelled', 'failed']) expect(SWEEP_STATUSES).toContain(s);
    const list = sdkApiSchema().procedures['sweep.list']!.input as {
      properties: { status: { enum: string[] } };
    };
    expect(list.properties.status.enum).toEqual([...SWEEP_STATUSES]);
  });
});
