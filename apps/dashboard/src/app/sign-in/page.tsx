import { redirect } from 'next/navigation';
import { currentUser } from '../../server/context';
import { safeNextPath } from './next-path';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; changed?: string }>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await currentUser()) redirect(next);
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      {params.changed && <p role="status">Password changed: sign in with the new one.</p>}
      <SignInForm next={next} />
      <p className="sub">
        No account? An admin creates one:{' '}
        <code>npm run retune -- user create --email you@example.com</code>
      </p>
    </section>
  );
}
