'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../lib/trpc-client';

/** Pause / resume / run now / force run / delete for one schedule. */
export function ScheduleActions({
  id,
  name,
  paused,
  afterDelete,
  canDelete = true,
}: {
  id: string;
  name: string;
  paused: boolean;
  afterDelete?: string;
  /** Deleting is for admins; the page hides the button from others. */
  canDelete?: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await fn();
      if (done) setNote(done);
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="actions">
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() =>
          run(() =>
            paused
              ? trpc.schedule.resume.mutate({ ref: id })
              : trpc.schedule.pause.mutate({ ref: id }),
          )
        }
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => run(() => trpc.schedule.trigger.mutate({ ref: id }), 'triggered')}
      >
        Run now
      </button>
      <button
        type="button"
        className="button"
        disabled={busy}
        title="train even if the dataset has not changed"
        onClick={() =>
          run(() => trpc.schedule.trigger.mutate({ ref: id, force: true }), 'forced run started')
        }
      >
        Force run
      </button>
      {canDelete && (
        <button
          type="button"
          className="button danger"
          disabled={busy}
          onClick={() => {
            if (!window.confirm(`Delete schedule "${name}" and its run history?`)) return;
            void run(async () => {
              await trpc.schedule.remove.mutate({ ref: id });
              if (afterDelete) router.push(afterDelete);
            });
          }}
        >
          Delete
        </button>
      )}
      {note && <span className="sub">{note}</span>}
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
