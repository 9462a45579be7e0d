import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@retune/api';
import type { AuditEventInput } from '@retune/db';
import { audited } from './local-audit';

describe('audited (the local operator)', () => {
  it('records what the CLI changed, failed or was refused, as "local"', async () => {
    const rows: AuditEventInput[] = [];
    const repos = { audit: { record: async (r: AuditEventInput) => void rows.push(r) } };
    await audited(
      repos as never,
      'sweep.launch',
      (s: { id: string }) => s.id,
      async () => ({
        id: 'sw_1',
      }),
    );
    await expect(
      audited(repos as never, 'sweep.cancel', 'sw_2', async () => {
        throw new Error('sweep sw_2 not found');
      }),
    ).rejects.toThrow(/not found/);
    await expect(
      audited(repos as never, 'sweep.launch', 'x', async () => {
        throw new ForbiddenError('dataset: outside the data roots');
      }),
    ).rejects.toThrow();
    expect(rows.map((r) => [r.via, r.action, r.target, r.outcome])).toEqual([
      ['local', 'sweep.launch', 'sw_1', 'ok'],
      ['local', 'sweep.cancel', 'sw_2', 'failed'],
      ['local', 'sweep.launch', 'x', 'refused'],
    ]);
  });
});
