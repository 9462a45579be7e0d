import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { currentUser } from '../server/context';
import { userCan } from '../server/permissions';
import { SignOutButton } from './sign-in/sign-out-button';
import './globals.css';
import './sign-in/auth.css';

export const metadata: Metadata = {
  title: 'Retune',
  description: 'Transfer-learning hyperparameter sweeps',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const [member, admin] = [await userCan('sweep.launch'), await userCan('audit.list')];
  const manageUsers = await userCan('user.manage');
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            Retune
          </Link>
          <nav>
            <Link href="/">Sweeps</Link>
            <Link href="/schedules">Schedules</Link>
            <Link href="/models">Models</Link>
            {member && <Link href="/sweeps/new">New sweep</Link>}
            <Link href="/compare">Compare</Link>
            <Link href="/trainers">Trainers</Link>
            {manageUsers && <Link href="/users">Users</Link>}
            {admin && <Link href="/audit">Audit</Link>}
          </nav>
          {user && (
            <div className="session">
              <Link href="/account" title="your account and password">
                {user.email} ({user.role})
              </Link>
              <SignOutButton />
            </div>
          )}
        </header>
        <main className="content">{children}</main>
      </body>
    </html>
  );
}
