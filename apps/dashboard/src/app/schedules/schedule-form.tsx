'use client';

import { TRPCClientError } from '@trpc/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { parse, stringify } from 'yaml';
import { trpc } from '../../lib/trpc-client';
import { errorText, useAction } from '../../lib/use-action';

const EXAMPLE = {
  name: 'nightly digits',
  task: 'digits-5-9',
  policy: 'retrain-champion',
  cron: '0 3 * * *',
  timezone: 'UTC',
  overlapPolicy: 'skip',
  catchupWindowSeconds: 3600,
  promoteMargin: 0.005,
  spec: {
    name: 'digits retrain',
    dataset: 'demo:mnist-5-9',
    baseModel: 'demo:mnist-0-4-cnn',
    trainer: { name: 'synthetic' },
    algorithm: 'grid',
    fixed: { epochs: 3 },
    searchSpace: { headLr: { type: 'choice', values: [0.001, 0.01] } },
  },
};

function issuesOf(err: unknown): string[] {
  if (err instanceof TRPCClientError) {
    const issues = (err.data as { issues?: { path: string; message: string }[] } | undefined)
      ?.issues;
    if (issues?.length) return issues.map((i) => `${i.path || '(schedule)'}: ${i.message}`);
    return [err.message];
  }
  return [errorText(err)];
}

/** Create (no `id`) or edit a schedule as YAML; the server validates it field by field. */
export function ScheduleForm({ id, initial }: { id?: string; initial?: Record<string, unknown> }) {
  const router = useRouter();
  const [text, setText] = useState(() => stringify(initial ?? EXAMPLE));
  const { busy, run } = useAction();
  const [errors, setErrors] = useState<string[]>([]);

  const submit = async () => {
    setErrors([]);
    let schedule: Record<string, unknown>;
    try {
      const parsed: unknown = parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('the schedule must be a YAML mapping');
      }
      schedule = parsed as Record<string, unknown>;
    } catch (err) {
      setErrors([`YAML: ${(err as Error).message}`]);
      return;
    }
    await run(
      async () => {
        const saved = id
          ? await trpc.schedule.update.mutate({ ref: id, schedule })
          : await trpc.schedule.create.mutate({ schedule });
        router.push(`/schedules/${saved.id}`);
        router.refresh();
      },
      { onError: (err) => setErrors(issuesOf(err)) },
    );
  };

  return (
    <div className="schedule-form">
      <textarea
        aria-label="schedule YAML"
        rows={24}
        cols={80}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        style={{ fontFamily: 'monospace', width: '100%' }}
      />
      {errors.length > 0 && (
        <ul className="error-box" role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      <button type="button" className="button" disabled={busy} onClick={() => void submit()}>
        {id ? 'Save changes' : 'Create schedule'}
      </button>
    </div>
  );
}
