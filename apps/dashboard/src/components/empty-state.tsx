import type { ReactNode } from 'react';

/** What a list shows when it has nothing: say so, and how to get something. */
export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
