import Link from 'next/link';
import { EmptyState } from '../components/empty-state';

export default function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <EmptyState>
        That sweep does not exist. <Link href="/">Back to all sweeps</Link>
      </EmptyState>
    </section>
  );
}
