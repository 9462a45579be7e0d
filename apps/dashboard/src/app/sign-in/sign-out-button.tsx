'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../lib/trpc-client';

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        // Even if the call fails (session already gone), the sign-in page is the right place.
        void trpc.auth.signOut
          .mutate()
          .catch(() => undefined)
          .then(() => {
            router.replace('/sign-in');
            router.refresh();
          });
      }}
    >
      Sign out
    </button>
  );
}
