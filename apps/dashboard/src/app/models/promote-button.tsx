'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../lib/trpc-client';

/** Makes a version its task's champion by hand (a rollback, say), with a reason for the history. */
export function PromoteButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const promote = async () => {
    const reason = window.prompt(`Make ${label} the champion? Reason (kept in the history):`);
    if (reason === null) return;
    setBusy(true);
    setError(null);
    try {
      await trpc.model.promote.mutate({ id, ...(reason.trim() ? { reason } : {}) });
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={() => void promote()}>
        Promote
      </button>
      {error && <span className="error-text">{error}</span>}
    </>
  );
}
