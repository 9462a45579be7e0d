'use client';

import { useCallback, useEffect, useState } from 'react';

const KEY = 'retune.compare';

/**
 * Trials picked for comparison, kept in sessionStorage so picks from several sweep pages add up
 * until the Compare page opens (the compare URL itself then carries them).
 */
export function useCompareSelection(): {
  selected: string[];
  toggle: (id: string, on: boolean) => void;
  clear: () => void;
} {
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => {
    try {
      setSelected(JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as string[]);
    } catch {
      setSelected([]);
    }
  }, []);
  const save = useCallback((ids: string[]) => {
    setSelected(ids);
    sessionStorage.setItem(KEY, JSON.stringify(ids));
  }, []);
  const toggle = useCallback(
    (id: string, on: boolean) => {
      const current = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as string[];
      save(on ? [...new Set([...current, id])] : current.filter((x) => x !== id));
    },
    [save],
  );
  return { selected, toggle, clear: () => save([]) };
}
