'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../lib/trpc-client';
import { useAction } from '../../lib/use-action';
import { ActionButton } from '../../components/action-button';

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
  const { busy, error, run: runAction } = useAction();
  const [note, setNote] = useState<string | null>(null);

  const run = (fn: () => Promise<unknown>, done?: string) => {
    setNote(null);
    return runAction(async () => {
      await fn();
      if (done) setNote(done);
      router.refresh();
    });
  };

  return (
    <div className="actions">
      <ActionButton
        busy={busy}
        onClick={() =>
          run(() =>
            paused
              ? trpc.schedule.resume.mutate({ ref: id })
              : trpc.schedule.pause.mutate({ ref: id }),
          )
        }
      >
        {paused ? 'Resume' : 'Pause'}
      </ActionButton>
      <ActionButton
        busy={busy}
        onClick={() => run(() => trpc.schedule.trigger.mutate({ ref: id }), 'triggered')}
      >
        Run now
      </ActionButton>
      <ActionButton
        busy={busy}
        title="train even if the dataset has not changed"
        onClick={() =>
          run(() => trpc.schedule.trigger.mutate({ ref: id, force: true }), 'forced run started')
        }
      >
        Force run
      </ActionButton>
      {canDelete && (
        <ActionButton
          busy={busy}
          danger
          confirm={`Delete schedule "${name}" and its run history?`}
          onClick={() =>
            void run(async () => {
              await trpc.schedule.remove.mutate({ ref: id });
              if (afterDelete) router.push(afterDelete);
            })
          }
        >
          Delete
        </ActionButton>
      )}
      {note && <span className="sub">{note}</span>}
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
