import { describe, expect, it } from 'vitest';
import { pageSlice } from './page-slice';

describe('pageSlice', () => {
  const rows = Array.from({ length: 250 }, (_, i) => i);

  it('cuts 250 rows into pages of 100, the last one short', () => {
    expect(pageSlice(rows, 0, 100)).toMatchObject({ page: 0, pages: 3 });
    expect(pageSlice(rows, 2, 100).shown).toEqual(rows.slice(200));
  });

  it('clamps a page past the end (rows shrank) to the last page', () => {
    expect(pageSlice(rows.slice(0, 50), 2, 100)).toEqual({
      shown: rows.slice(0, 50),
      page: 0,
      pages: 1,
    });
  });

  it('rejects a page size below 1', () => {
    expect(() => pageSlice(rows, 0, 0)).toThrow(/page size/);
  });
});
