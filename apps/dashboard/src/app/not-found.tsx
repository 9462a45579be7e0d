import Link from 'next/link';

export default function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p className="empty">
        That sweep does not exist. <Link href="/">Back to all sweeps</Link>
      </p>
    </section>
  );
}
