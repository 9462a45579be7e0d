import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from './client';
import { freshPostgresDatabase } from './test-support/databases';

const serverUrl = process.env.RETUNE_TEST_POSTGRES_URL;

describe.skipIf(!serverUrl)('PostgreSQL connections', () => {
  let db: Db | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  it('end sessions left idle inside a transaction after 10 s, whatever the server default', async () => {
    const fresh = await freshPostgresDatabase(serverUrl!);
    drop = fresh.drop;
    db = createDb(fresh.url);
    const rows = await db.$queryRawUnsafe<{ idle_in_transaction_session_timeout: string }[]>(
      'SHOW idle_in_transaction_session_timeout',
    );
    expect(rows[0]!.idle_in_transaction_session_timeout).toBe('10s');
  });
});
