'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { trpc } from '../../../lib/trpc-client';
import { useAction } from '../../../lib/use-action';

/** "Promote to model version": this trial's model into the registry, optionally as champion. */
export function RegisterModelForm({
  trialId,
  defaultTask,
}: {
  trialId: string;
  defaultTask: string;
}) {
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<{ task: string; version: number; champion: boolean } | null>(
    null,
  );

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await run(async () => {
      const v = await trpc.model.registerTrial.mutate({
        trialId,
        task: String(form.get('task') ?? '').trim() || defaultTask,
        champion: form.get('champion') === 'on',
      });
      setDone({ task: v.task, version: v.version, champion: v.isChampion });
    });
  };

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label>
        Task
        <input name="task" defaultValue={defaultTask} maxLength={120} />
      </label>
      <label className="checkbox">
        <input name="champion" type="checkbox" /> make it the champion
      </label>
      <button type="submit" className="button" disabled={busy}>
        Promote to model version
      </button>
      {done && (
        <span role="status">
          registered as {done.task} v{done.version}
          {done.champion ? ' (champion)' : ''} — <Link href="/models">models</Link>
        </span>
      )}
      {error && <span className="error-text">{error}</span>}
    </form>
  );
}
