'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../../lib/trpc-client';
import { useAction } from '../../../lib/use-action';
import { ActionButton, AmountAction } from '../../../components/action-button';

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
        <ActionButton busy={busy} onClick={() => control({ action: 'resume' })}>
          Resume
        </ActionButton>
      ) : (
        <ActionButton busy={busy} onClick={() => control({ action: 'pause' })}>
          Pause
        </ActionButton>
      )}
      {failed > 0 && (
        <ActionButton busy={busy} onClick={() => control({ action: 'retryFailed' })}>
          Retry {failed} failed
        </ActionButton>
      )}
      {extendable && (
        <AmountAction
          label="extra trials"
          value={extra}
          onChange={setExtra}
          min={1}
          valid={extra >= 1}
          busy={busy}
          onSubmit={() => control({ action: 'extendBudget', extraTrials: extra })}
        >
          Add trials
        </AmountAction>
      )}
      {gpuBudget && (
        <AmountAction
          label="extra GPU hours"
          value={extraHours}
          onChange={setExtraHours}
          min={0}
          step="any"
          valid={extraHours > 0}
          busy={busy}
          onSubmit={() => control({ action: 'extendGpuBudget', extraGpuHours: extraHours })}
        >
          Add GPU hours
        </AmountAction>
      )}
      <ActionButton
        busy={busy}
        danger
        confirm="Cancel this sweep? Running trials are stopped."
        onClick={() => void run(() => trpc.sweep.cancel.mutate({ id: sweepId }))}
      >
        Cancel sweep
      </ActionButton>
      {error && <span className="error-text">{error}</span>}
    </div>
  );
}
