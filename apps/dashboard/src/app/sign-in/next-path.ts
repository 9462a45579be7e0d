/** Where to go after sign-in: a local path only, so the link cannot send users elsewhere. */
export function safeNextPath(next: string | string[] | undefined): string {
  const path = Array.isArray(next) ? next[0] : next;
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  if (path.startsWith('/sign-in')) return '/';
  return path;
}
