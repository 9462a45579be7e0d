import { TRPCError } from '@trpc/server';
import { comparisonToCsv, comparisonToJson, parseTrialIds } from '../../../lib/compare-export';
import { serverCaller } from '../../../server/context';

export const dynamic = 'force-dynamic';

const STATUS: Partial<Record<TRPCError['code'], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
};

/** `/compare/export?trials=a,b&format=csv|json`: the compare page's data as a download. */
export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const ids = parseTrialIds(url.searchParams.get('trials'));
  const format = url.searchParams.get('format') === 'json' ? 'json' : 'csv';
  if (ids.length === 0) return new Response('name trials: ?trials=id1,id2\n', { status: 400 });
  try {
    const comparison = await serverCaller().compare.trials({ trialIds: ids });
    const body = format === 'json' ? comparisonToJson(comparison) : comparisonToCsv(comparison);
    return new Response(body, {
      headers: {
        'content-type': format === 'json' ? 'application/json' : 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="retune-compare.${format}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    if (err instanceof TRPCError && STATUS[err.code]) {
      return new Response(`${err.message}\n`, { status: STATUS[err.code] });
    }
    throw err;
  }
}
