'use client';

import type { FormEvent } from 'react';
import { trpc } from '../../lib/trpc-client';
import { useAction } from '../../lib/use-action';

/** Email + password; the API sets the session cookie, then we go where the user was headed. */
export function SignInForm({ next }: { next: string }) {
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await run(
      async () => {
        await trpc.auth.signIn.mutate({
          email: String(form.get('email') ?? ''),
          password: String(form.get('password') ?? ''),
        });
        // A full load: the client router may hold redirects to /sign-in that it prefetched while
        // signed out, and would bounce back to this page.
        window.location.assign(next);
      },
      { keepBusyOnSuccess: true },
    );
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
