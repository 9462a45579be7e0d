'use client';

import { useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '@retune/core';
import { trpc } from '../../lib/trpc-client';
import { useAction } from '../../lib/use-action';
import { passwordChangeProblem } from '../../lib/user-admin';

/** Changes the caller's password; every session ends (this one too), so it goes to sign-in. */
export function PasswordForm() {
  const { busy, error, run } = useAction();
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      current: String(form.get('current') ?? ''),
      next: String(form.get('next') ?? ''),
      again: String(form.get('again') ?? ''),
    };
    const check = passwordChangeProblem(input);
    setProblem(check);
    if (check) return;
    await run(
      async () => {
        await trpc.auth.changePassword.mutate({
          currentPassword: input.current,
          newPassword: input.next,
        });
        window.location.assign('/sign-in?changed=1');
      },
      { keepBusyOnSuccess: true },
    );
  };
  const shown = problem ?? error;
  return (
    <form className="sign-in-form" aria-label="change password" onSubmit={(e) => void submit(e)}>
      <label>
        Current password
        <input name="current" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password (at least {MIN_PASSWORD_LENGTH} characters)
        <input name="next" type="password" autoComplete="new-password" required />
      </label>
      <label>
        New password again
        <input name="again" type="password" autoComplete="new-password" required />
      </label>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
      {shown && (
        <p className="error-text" role="alert">
          {shown}
        </p>
      )}
    </form>
  );
}
