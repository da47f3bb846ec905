import { sql } from 'drizzle-orm';
import {
  OPEN_REQUEST_STATES,
  REQUEST_CATEGORIES,
  type RequestCategory,
  type RequestStats,
  type RequestStatus,
  requestFlow,
} from 'shared';
import type { AppDeps } from '../../deps';
import { notFound } from '../../http/errors';
import { communityNames } from '../places';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const list = (xs: readonly string[]) =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );

/**
 * A community's month in figures, computed by SQL over the requests themselves (no counters to
 * drift): the requests raised in that calendar month in the display zone, by category and status;
 * the share answered and resolved within their limits among those whose limit has come (or that
 * were answered or resolved already); and the mean rating. Public to every signed-in user.
 */
export async function requestStats(deps: Deps, communityId: string, month: string): Promise<RequestStats> {
  const name = (await communityNames(deps.db, [communityId])).get(communityId);
  if (name === undefined) throw notFound('Community');
  const tz = deps.config.TZ_DISPLAY;
  const now = deps.clock.now().toISOString();
  const start = sql`((${`${month}-01`})::timestamp AT TIME ZONE ${tz})`;
  const end = sql`(((${`${month}-01`})::timestamp + interval '1 month') AT TIME ZONE ${tz})`;
  const open = list(OPEN_REQUEST_STATES);
  type Row = {
    category: RequestCategory;
    status: RequestStatus;
    n: number;
    response_counted: number;
    response_on_time: number;
    resolution_counted: number;
    resolution_on_time: number;
    rated: number;
    rating_sum: number;
  };
  const rows = (await deps.db.execute(sql`
    SELECT category, status, count(*)::int AS n,
      count(*) FILTER (WHERE responded_at IS NOT NULL
        OR (status::text IN ('submitted', 'dispatched') AND respond_by <= ${now}::timestamptz))::int AS response_counted,
      count(*) FILTER (WHERE responded_at IS NOT NULL AND responded_at <= respond_by)::int AS response_on_time,
      count(*) FILTER (WHERE resolved_at IS NOT NULL
        OR (status::text IN (${open}) AND resolve_by <= ${now}::timestamptz))::int AS resolution_counted,
      count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= resolve_by)::int AS resolution_on_time,
      count(rating)::int AS rated,
      coalesce(sum(rating), 0)::int AS rating_sum
    FROM resident_requests
    WHERE community_id = ${communityId} AND created_at >= ${start} AND created_at < ${end}
    GROUP BY category, status`)) as unknown as Row[];
  const byCategory = new Map<string, number>();
  const byStatus = new Map<string, number>();
  const sum = { n: 0, rc: 0, rt: 0, sc: 0, st: 0, rated: 0, stars: 0 };
  for (const r of rows) {
    byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + r.n);
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + r.n);
    sum.n += r.n;
    sum.rc += r.response_counted;
    sum.rt += r.response_on_time;
    sum.sc += r.resolution_counted;
    sum.st += r.resolution_on_time;
    sum.rated += r.rated;
    sum.stars += r.rating_sum;
  }
  const rate = (part: number, whole: number) =>
    whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
  return {
    communityId,
    communityName: name,
    month,
    total: sum.n,
    byCategory: REQUEST_CATEGORIES.map((category) => ({ category, count: byCategory.get(category) ?? 0 })),
    byStatus: requestFlow.states.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
    responseOnTimeRate: rate(sum.rt, sum.rc),
    resolutionOnTimeRate: rate(sum.st, sum.sc),
    responseCounted: sum.rc,
    resolutionCounted: sum.sc,
    averageRating: sum.rated === 0 ? null : Math.round((sum.stars / sum.rated) * 100) / 100,
    ratedCount: sum.rated,
  };
}
