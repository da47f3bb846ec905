import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { localClock, starLevel } from 'shared';
import type { Actor } from '../../access/actor';
import type { AppDeps } from '../../deps';
import { communityNames } from '../places';
import { requireVerified } from './profiles';
import { helpTasks, timeBankAccounts, volunteers } from './tables';
import { accountOf } from './time-bank';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

export const LEADERBOARD_SIZE = 50;

/** Others appear as their surname and two stars; the caller sees their own name. */
const masked = (realName: string) => `${[...realName][0] ?? ''}**`;

/**
 * The community's verified volunteers by minutes ever earned (ties share a rank), top 50, without
 * those who opted out. The caller's own line is always there, unless they opted out themselves.
 */
export async function leaderboard(deps: Deps, actor: Actor) {
  const me = await requireVerified(deps.db, actor.actorId);
  const earned = sql<number>`coalesce(${timeBankAccounts.earnedMin}, 0)::int`;
  const shown = and(
    eq(volunteers.communityId, me.communityId),
    eq(volunteers.status, 'verified'),
    eq(volunteers.leaderboardOptOut, false),
  );
  const rows = await deps.db
    .select({
      userId: volunteers.userId,
      realName: volunteers.realName,
      earnedMin: earned,
      rank: sql<number>`rank() OVER (ORDER BY coalesce(${timeBankAccounts.earnedMin}, 0) DESC)::int`,
    })
    .from(volunteers)
    .leftJoin(timeBankAccounts, eq(timeBankAccounts.userId, volunteers.userId))
    .where(shown)
    .orderBy(
      sql`coalesce(${timeBankAccounts.earnedMin}, 0) DESC`,
      asc(volunteers.createdAt),
      asc(volunteers.userId),
    )
    .limit(LEADERBOARD_SIZE);
  const line = (r: { userId: string; realName: string; earnedMin: number; rank: number }) => ({
    rank: r.rank,
    name: r.userId === me.userId ? r.realName : masked(r.realName),
    earnedMin: r.earnedMin,
    star: starLevel(r.earnedMin),
    me: r.userId === me.userId,
  });
  const items = rows.map(line);
  if (!me.leaderboardOptOut && !items.some((i) => i.me)) {
    const mine = (await accountOf(deps.db, me.userId)).earnedMin;
    const [ahead] = await deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(volunteers)
      .leftJoin(timeBankAccounts, eq(timeBankAccounts.userId, volunteers.userId))
      .where(and(shown, gt(earned, mine)));
    items.push(line({ userId: me.userId, realName: me.realName, earnedMin: mine, rank: ahead!.n + 1 }));
  }
  return { items, optedOut: me.leaderboardOptOut };
}

/** What the certificate image shows; the app draws it. */
export async function certificate(deps: Deps, actor: Actor) {
  const me = await requireVerified(deps.db, actor.actorId);
  const now = deps.clock.now();
  const [account, names, [done]] = await Promise.all([
    accountOf(deps.db, me.userId),
    communityNames(deps.db, [me.communityId]),
    deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(helpTasks)
      .where(and(eq(helpTasks.volunteerId, me.userId), eq(helpTasks.status, 'done'))),
  ]);
  const year = localClock(now, deps.config.TZ_DISPLAY).date.slice(0, 4);
  return {
    name: me.realName,
    communityName: names.get(me.communityId) ?? '',
    earnedMin: account.earnedMin,
    star: starLevel(account.earnedMin),
    tasks: done?.n ?? 0,
    since: me.createdAt.toISOString(),
    issuedAt: now.toISOString(),
    serial: `LL-${year}-${me.userId.slice(0, 8)}`,
  };
}
