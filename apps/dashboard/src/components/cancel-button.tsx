'use client';

import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { AppRouter } from '@retune/api';

const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc' })] });

export function CancelButton({ sweepId }: { sweepId: string }) {
  const router = useRouter();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="cancel">
      <button
        type="button"
        className="button danger"
        disabled={state !== 'idle'}
        onClick={async () => {
          if (!confirm('Cancel this sweep? Running trials are stopped.')) return;
          setState('busy');
          setError(null);
          try {
            await trpc.sweep.cancel.mutate({ id: sweepId });
            setState('done');
            router.refresh();
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
            setState('idle');
          }
        }}
      >
        {state === 'idle' ? 'Cancel sweep' : state === 'busy' ? 'Cancelling…' : 'Cancel requested'}
      </button>
      {error && <span className="error-text">{error}</span>}
    </span>
  );
}
