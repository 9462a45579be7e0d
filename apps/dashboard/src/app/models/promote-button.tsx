'use client';

import { useRouter } from 'next/navigation';
import { trpc } from '../../lib/trpc-client';
import { useAction } from '../../lib/use-action';

/** Makes a version its task's champion by hand (a rollback, say), with a reason for the history. */
export function PromoteButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const { busy, error, run } = useAction();
  const promote = async () => {
    const reason = window.prompt(`Make ${label} the champion? Reason (kept in the history):`);
    if (reason === null) return;
    await run(async () => {
      await trpc.model.promote.mutate({ id, ...(reason.trim() ? { reason } : {}) });
      router.refresh();
    });
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
