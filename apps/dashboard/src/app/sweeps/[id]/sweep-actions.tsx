'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../../lib/trpc-client';
import { useAction } from '../../../lib/use-action';

interface Props {
  sweepId: string;
  status: string;
  failed: number;
  extendable: boolean;
  /** The sweep has a GPU-time budget (budget.gpuHours) that can be extended. */
  gpuBudget?: boolean;
}

/** Pause / resume / retry failed / extend budget / cancel for a live sweep. */
export function SweepActions({ sweepId, status, failed, extendable, gpuBudget }: Props) {
  const router = useRouter();
  const { busy, error, run: runAction } = useAction();
  const [extra, setExtra] = useState(10);
  const [extraHours, setExtraHours] = useState(1);

  const run = (fn: () => Promise<unknown>) =>
    runAction(async () => {
      await fn();
      router.refresh();
    });
  const control = (request: Parameters<typeof trpc.sweep.control.mutate>[0]['request']) =>
    run(() => trpc.sweep.control.mutate({ id: sweepId, request }));

  return (
    <div className="actions">
      {status === 'paused' ? (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => control({ action: 'resume' })}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => control({ action: 'pause' })}
        >
          Pause
        </button>
      )}
      {failed > 0 && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => control({ action: 'retryFailed' })}
        >
          Retry {failed} failed
        </button>
      )}
      {extendable && (
        <span className="extend">
          <input
            type="number"
            min={1}
            aria-label="extra trials"
            value={extra}
            onChange={(e) => setExtra(Number(e.target.value))}
          />
          <button
            type="button"
            className="button"
            disabled={busy || !(extra >= 1)}
            onClick={() => control({ action: 'extendBudget', extraTrials: extra })}
          >
            Add trials
          </button>
        </span>
      )}
      {gpuBudget && (
        <span className="extend">
          <input
            type="number"
            min={0}
            step="any"
            aria-label="extra GPU hours"
            value={extraHours}
            onChange={(e) => setExtraHours(Number(e.target.value))}
          />
          <button
            type="button"
            className="button"
            disabled={busy || !(extraHours > 0)}
            onClick={() => control({ action: 'extendGpuBudget', extraGpuHours: extraHours })}
          >
            Add GPU hours
          </button>
        </span>
      )}
      <button
        type="button"
        className="button danger"
        disabled={busy}
        onClick={() => {
          if (confirm('Cancel this sweep? Running trials are stopped.')) {
            void run(() => trpc.sweep.cancel.mutate({ id: sweepId }));
          }
        }}
      >
        Cancel sweep
      </button>
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
