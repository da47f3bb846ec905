import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { PAGES, wechatPage } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { enqueue } from '../../jobs/outbox';
import { communityMembers } from '../memberships';
import { notifyAudience, templateIds } from '../notifications';
import { fanoutChunkJob } from './jobs';
import { communityAlerts, communityNotices, fanoutChunks } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
export type FanoutKind = 'alert' | 'notice';

/** The inbox key of an alert or notice: unique per (subject, user), so nobody hears of it twice. */
export const fanoutKey = (kind: FanoutKind, id: string) => `community.${kind}:${id}`;

/** Each verified member of a community once (someone in two of its households counts once). */
function memberIds(db: DbOrTx, communityId: string) {
  const m = communityMembers(db, communityId).as('m');
  return { m, q: db.selectDistinct({ id: m.userId }).from(m) };
}

/** How many verified members a fan-out to the community reaches now. */
export async function audienceSize(db: DbOrTx, communityId: string): Promise<number> {
  const { q } = memberIds(db, communityId);
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(q.as('ids'));
  return row?.n ?? 0;
}

/**
 * Plans the fan-out inside the transaction that publishes the thing: counts the members, cuts
 * them into chunks of `COMMUNITY_FANOUT_CHUNK_SIZE` by user id (one window query), records the
 * chunks and queues one job per chunk through the outbox, so the chunks run side by side.
 * Returns how many members there are.
 */
export async function planFanout(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'config'>,
  kind: FanoutKind,
  subjectId: string,
  communityId: string,
): Promise<{ members: number; chunks: number }> {
  const size = deps.config.COMMUNITY_FANOUT_CHUNK_SIZE;
  const { q } = memberIds(tx, communityId);
  // Every size-th id closes a chunk; the total comes along on each row (and 0 rows: no members).
  const cuts = (await tx.execute(sql`
    SELECT id, total FROM (
      SELECT id, row_number() OVER (ORDER BY id) AS rn, count(*) OVER () AS total FROM (${q}) AS d(id)
    ) x WHERE rn % ${size} = 0 OR rn = total ORDER BY id`)) as unknown as { id: string; total: string }[];
  const members = Number(cuts[0]?.total ?? 0);
  // The last cut is open-ended: members verified while the fan-out runs are reached too.
  const uppers: (string | null)[] = cuts.slice(0, -1).map((c) => c.id);
  uppers.push(null);
  const rows = uppers.map((upTo, seq) => ({
    kind,
    subjectId,
    seq,
    afterUser: seq === 0 ? null : uppers[seq - 1]!,
    upToUser: upTo,
  }));
  await tx.insert(fanoutChunks).values(rows);
  for (const r of rows) await enqueue(tx, fanoutChunkJob, { kind, subjectId, seq: r.seq });
  return { members, chunks: rows.length };
}

interface Subject {
  communityId: string;
  title: string;
  body: string;
  link: string;
  live: boolean;
}

async function subjectOf(tx: DbOrTx, kind: FanoutKind, id: string): Promise<Subject | undefined> {
  if (kind === 'alert') {
    const [a] = await tx.select().from(communityAlerts).where(eq(communityAlerts.id, id));
    return (
      a && {
        communityId: a.communityId,
        title: '紧急通知',
        body: a.text,
        link: `${PAGES.communityAlert}?id=${id}`,
        live: a.withdrawnAt === null,
      }
    );
  }
  const [n] = await tx.select().from(communityNotices).where(eq(communityNotices.id, id));
  return (
    n && {
      communityId: n.communityId,
      title: '社区通知公告',
      body: n.title,
      link: `${PAGES.communityNotice}?id=${id}`,
      live: n.withdrawnAt === null,
    }
  );
}

/**
 * One chunk: claims it (done once: a replay finds it done and writes nothing), then writes the
 * inbox rows of its members in one INSERT ... SELECT, whose unique (user, key) would also refuse a
 * second row. An alert also queues subscribe messages for those with a grant left, and counts
 * what it reached; the last chunk stamps when the alert was delivered. A withdrawn alert or
 * notice writes nothing more.
 */
export async function runFanoutChunk(deps: Deps, kind: FanoutKind, subjectId: string, seq: number) {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [chunk] = await tx
      .update(fanoutChunks)
      .set({ doneAt: now })
      .where(
        and(
          eq(fanoutChunks.kind, kind),
          eq(fanoutChunks.subjectId, subjectId),
          eq(fanoutChunks.seq, seq),
          isNull(fanoutChunks.doneAt),
        ),
      )
      .returning();
    if (!chunk) return 0;
    const s = await subjectOf(tx, kind, subjectId);
    if (!s) return 0;
    let written = 0;
    if (s.live) {
      const { m } = memberIds(tx, s.communityId);
      const audience = tx
        .selectDistinct({ id: m.userId })
        .from(m)
        .where(
          and(
            chunk.afterUser ? gt(m.userId, chunk.afterUser) : undefined,
            chunk.upToUser ? lte(m.userId, chunk.upToUser) : undefined,
          ),
        );
      const input = { kind: `community.${kind}`, title: s.title, body: s.body, link: s.link };
      const wechat =
        kind === 'alert'
          ? {
              wechat: {
                template: 'orderStatus' as const,
                page: wechatPage(s.link),
                data: { thing1: thingOf(s.body), phrase2: '紧急通知', time3: now.toISOString() },
              },
              templateId: templateIds(deps.config).orderStatus,
            }
          : {};
      written = (
        await notifyAudience(tx, audience, { ...input, dedupeKey: fanoutKey(kind, subjectId) }, wechat)
      ).written;
    }
    if (kind === 'alert')
      await tx
        .update(communityAlerts)
        .set({
          reached: sql`${communityAlerts.reached} + ${written}`,
          chunksLeft: sql`greatest(${communityAlerts.chunksLeft} - 1, 0)`,
          deliveredAt: sql`CASE WHEN ${communityAlerts.chunksLeft} = 1 THEN ${now.toISOString()}::timestamptz ELSE ${communityAlerts.deliveredAt} END`,
        })
        .where(eq(communityAlerts.id, subjectId));
    return written;
  });
}

/** A WeChat `thing` field holds 20 characters. */
const thingOf = (s: string) => {
  const chars = [...s];
  return chars.length > 20 ? `${chars.slice(0, 19).join('')}…` : s;
};
