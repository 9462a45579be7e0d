'use client';

import { createTRPCClient, httpLink } from '@trpc/client';
import { useState, type FormEvent } from 'react';
import type { AppRouter } from '@retune/api';

const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: '/api/trpc' })] });

/** Email + password; the API sets the session cookie, then we go where the user was headed. */
export function SignInForm({ next }: { next: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await trpc.auth.signIn.mutate({
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      // A full load: the client router may hold redirects to /sign-in that it prefetched while
      // signed out, and would bounce back to this page.
      window.location.assign(next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form className="sign-in-form" onSubmit={(e) => void submit(e)}>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
