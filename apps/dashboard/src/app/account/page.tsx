import { redirect } from 'next/navigation';
import { currentUser } from '../../server/context';
import { PasswordForm } from './password-form';

export const dynamic = 'force-dynamic';

/** The signed-in user's own account: who they are, and a password change (ends every session). */
export default async function AccountPage() {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  return (
    <section>
      <h1>Account</h1>
      <p>
        {user.email} · {user.role}
      </p>
      <h2>Change password</h2>
      <p className="sub">This signs you out everywhere, this browser included.</p>
      <PasswordForm />
    </section>
  );
}
