'use client';

import type { TrialView } from '@retune/core';
import { useEffect, useMemo, useState } from 'react';
import { TABLE_PAGE } from '../../../lib/page-slice';
import { sortTrials, type SortDir } from '../../../lib/trial-sort';
import { trpc } from '../../../lib/trpc-client';

export interface TrialPage {
  total: number;
  trials: TrialView[];
}

/** Columns sweep.trials sorts in SQL; a table of more than one page sorts by these only. */
export const SERVER_SORT_KEYS: readonly string[] = ['number', 'status', 'objective'];

/**
 * The rows of the trials table for a sort and page. A sweep that fits on one page is sorted in
 * the browser (any column, at once); a larger one asks sweep.trials for the page, so a
 * 10,000-trial sweep never sends all its trials. Page one in number order is the server's render.
 */
export function useTrialPage(
  sweepId: string,
  firstPage: TrialPage,
  sort: { key: string; dir: SortDir },
  page: number,
): TrialPage & { local: boolean } {
  const local = firstPage.total <= TABLE_PAGE;
  const onFirst = local || (page === 0 && sort.key === 'number' && sort.dir === 'asc');
  const [fetched, setFetched] = useState<TrialPage | null>(null);
  useEffect(() => {
    if (onFirst || !SERVER_SORT_KEYS.includes(sort.key)) return;
    let live = true;
    const query = {
      id: sweepId,
      sort: sort.key as 'number' | 'status' | 'objective',
      dir: sort.dir,
      offset: page * TABLE_PAGE,
      limit: TABLE_PAGE,
    };
    void trpc.sweep.trials.query(query).then((p) => {
      if (live) setFetched(p);
    });
    return () => {
      live = false;
    };
  }, [sweepId, sort, page, onFirst, firstPage]);
  const sorted = useMemo(
    () => (local ? sortTrials(firstPage.trials, sort.key, sort.dir) : firstPage.trials),
    [local, firstPage, sort],
  );
  if (onFirst || !fetched) return { total: firstPage.total, trials: sorted, local };
  return { ...fetched, local };
}
