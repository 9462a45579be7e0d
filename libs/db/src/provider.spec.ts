import { describe, expect, it } from 'vitest';
import { providerOf, sqlitePath } from './provider';

describe('providerOf', () => {
  it('picks the provider from the URL and rejects others with the fix', () => {
    expect(providerOf('file:.data/retune.db')).toBe('sqlite');
    expect(providerOf('postgresql://u:p@h:5432/d')).toBe('postgresql');
    expect(providerOf('postgres://h/d')).toBe('postgresql');
    expect(() => providerOf('mysql://u:secret@h/d')).toThrow(
      /not supported: use file:.* or postgresql:/,
    );
    expect(() => providerOf('mysql://u:secret@h/d')).not.toThrow(/secret/);
    expect(sqlitePath('file:/tmp/a.db')).toBe('/tmp/a.db');
  });
});
