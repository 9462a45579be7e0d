'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { mayPromote, type Role } from '@retune/core';
import { trpc } from '../../../lib/trpc-client';
import { useAction } from '../../../lib/use-action';

/**
 * "Promote to model version": this trial's model into the registry, optionally as champion —
 * offered only for a task the user may promote (`rights`; the server checks again).
 */
export function RegisterModelForm({
  trialId,
  defaultTask,
  rights,
}: {
  trialId: string;
  defaultTask: string;
  rights: { role: Role; grants: string[] } | null;
}) {
  const { busy, error, run } = useAction();
  const [task, setTask] = useState(defaultTask);
  const canChampion = rights !== null && mayPromote(rights.role, rights.grants, task.trim());
  const [done, setDone] = useState<{ task: string; version: number; champion: boolean } | null>(
    null,
  );

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await run(async () => {
      const v = await trpc.model.registerTrial.mutate({
        trialId,
        task: task.trim() || defaultTask,
        champion: canChampion && form.get('champion') === 'on',
      });
      setDone({ task: v.task, version: v.version, champion: v.isChampion });
    });
  };

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label>
        Task
        <input name="task" value={task} onChange={(e) => setTask(e.target.value)} maxLength={120} />
      </label>
      {canChampion && (
        <label className="checkbox">
          <input name="champion" type="checkbox" /> make it the champion
        </label>
      )}
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
