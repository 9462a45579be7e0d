import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE } from './server/session-cookie';

/**
 * Optimistic check only: a page request without a session cookie goes to /sign-in (and comes
 * back after). Whether the cookie is valid is checked where data is read — serverCaller for
 * pages, the /api/trpc route for every API call — so this file never touches the database.
 */
export function proxy(req: NextRequest) {
  if (req.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = '/sign-in';
  url.search = '';
  const back = req.nextUrl.pathname + req.nextUrl.search;
  if (back !== '/') url.searchParams.set('next', back);
  return NextResponse.redirect(url);
}

export const config = {
  // Not the API (it answers 401 itself), the sign-in page, or static assets.
  matcher: ['/((?!api/|sign-in|_next/static|_next/image|favicon\\.ico).*)'],
};
