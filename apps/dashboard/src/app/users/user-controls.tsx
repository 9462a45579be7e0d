'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@retune/core';
import { trpc } from '../../lib/trpc-client';
import { useAction } from '../../lib/use-action';
import { createUserProblem, grantProblem } from '../../lib/user-admin';

/** Runs a mutation, then re-renders the page's server data; shows the API's refusal if any. */
function useMutation() {
  const router = useRouter();
  const action = useAction();
  const [problem, setProblem] = useState<string | null>(null);
  const go = async (check: string | null, fn: () => Promise<unknown>) => {
    setProblem(check);
    if (check) return;
    await action.run(async () => {
      await fn();
      router.refresh();
    });
  };
  return { busy: action.busy, error: problem ?? action.error, go };
}

const ErrorText = ({ error }: { error: string | null }) =>
  error ? (
    <span className="error-text" role="alert">
      {error}
    </span>
  ) : null;

export function CreateUserForm() {
  const { busy, error, go } = useMutation();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const input = {
      email: String(form.get('email') ?? '').trim(),
      password: String(form.get('password') ?? ''),
      role: String(form.get('role') ?? 'member') as Role,
    };
    await go(createUserProblem(input), async () => {
      await trpc.user.create.mutate(input);
      formEl.reset();
    });
  };
  return (
    <form className="inline-form" aria-label="create user" onSubmit={(e) => void submit(e)}>
      <input name="email" type="email" placeholder="email" aria-label="email" required />
      <input
        name="password"
        type="password"
        placeholder="initial password (8+)"
        aria-label="initial password"
        autoComplete="new-password"
        required
      />
      <select name="role" aria-label="role" defaultValue="member">
        {ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <button type="submit" className="button" disabled={busy}>
        Create user
      </button>
      <ErrorText error={error} />
    </form>
  );
}

export function RoleSelect({ userId, role }: { userId: string; role: Role }) {
  const { busy, error, go } = useMutation();
  return (
    <>
      <select
        aria-label="role"
        value={role}
        disabled={busy}
        onChange={(e) =>
          void go(null, () => trpc.user.setRole.mutate({ userId, role: e.target.value as Role }))
        }
      >
        {ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <ErrorText error={error} />
    </>
  );
}

export function GrantForm({ userId }: { userId: string }) {
  const { busy, error, go } = useMutation();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const task = String(new FormData(formEl).get('task') ?? '').trim();
    await go(grantProblem(task), async () => {
      await trpc.user.grantPromotion.mutate({ userId, task });
      formEl.reset();
    });
  };
  return (
    <form className="inline-form" aria-label="grant promotion" onSubmit={(e) => void submit(e)}>
      <input name="task" placeholder="task, prefix-* or *" aria-label="task" />
      <button type="submit" className="button small" disabled={busy}>
        Grant
      </button>
      <ErrorText error={error} />
    </form>
  );
}

export function RevokeGrantButton({ userId, task }: { userId: string; task: string }) {
  const { busy, error, go } = useMutation();
  return (
    <>
      <button
        type="button"
        className="button small danger"
        title={`revoke promotion on ${task}`}
        disabled={busy}
        onClick={() => void go(null, () => trpc.user.revokePromotion.mutate({ userId, task }))}
      >
        {task} ×
      </button>
      <ErrorText error={error} />
    </>
  );
}

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const { busy, error, go } = useMutation();
  const revoke = () => {
    if (!window.confirm(`Revoke the token "${name}"? Scripts using it stop working at once.`)) {
      return;
    }
    void go(null, () => trpc.token.revoke.mutate({ id }));
  };
  return (
    <>
      <button type="button" className="button small danger" disabled={busy} onClick={revoke}>
        Revoke
      </button>
      <ErrorText error={error} />
    </>
  );
}
