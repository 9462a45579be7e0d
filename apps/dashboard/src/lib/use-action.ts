'use client';

import { useCallback, useState } from 'react';

/** The text an action's failure shows (a tRPC error's message names the field and the fix). */
export const errorText = (err: unknown): string =>
  err instanceof Error ? err.message : String(err);

export interface ActionState {
  busy: boolean;
  error: string | null;
}

export interface ActionOptions {
  /** Stay busy after success: the page is navigating away and the button must stay disabled. */
  keepBusyOnSuccess?: boolean;
  /** Sees the raw error too (field issues of a validation error, say). */
  onError?: (err: unknown) => void;
}

/**
 * Runs one action of a button or form: busy while it runs, its error (or none) after. Returns
 * the action's result, or undefined when it failed. Pure, so it is tested without React.
 */
export async function runAction<T>(
  fn: () => Promise<T>,
  set: (state: ActionState) => void,
  opts: ActionOptions = {},
): Promise<T | undefined> {
  set({ busy: true, error: null });
  try {
    const out = await fn();
    if (!opts.keepBusyOnSuccess) set({ busy: false, error: null });
    return out;
  } catch (err) {
    opts.onError?.(err);
    set({ busy: false, error: errorText(err) });
    return undefined;
  }
}

/** The busy/error state every dashboard action shares, and `run` to start one. */
export function useAction() {
  const [state, setState] = useState<ActionState>({ busy: false, error: null });
  const run = useCallback(
    <T>(fn: () => Promise<T>, opts?: ActionOptions) => runAction(fn, setState, opts),
    [],
  );
  return { ...state, run };
}
