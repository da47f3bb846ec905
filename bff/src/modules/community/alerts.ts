import { and, count, desc, eq, gt, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { Alert, StaffAlert } from 'shared';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { audit } from '../audit';
import { peopleByIds } from '../identity';
import { markReadByKey } from '../notifications';
import { staffCommunityIds } from '../places';
import { staffCommunity } from '../volunteers';
import { auditIfProxy, memberCommunities } from './access';
import { audienceSize, fanoutKey, planFanout } from './fanout';
import { alertPolicies } from './policies';
import { alertAcks, communityAlerts } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type Row = typeof communityAlerts.$inferSelect;

async function alertRow(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(communityAlerts).where(eq(communityAlerts.id, id));
  if (!row) throw new Error(`alert ${id} vanished`);
  return row;
}

const base = (a: Row) => ({
  id: a.id,
  communityId: a.communityId,
  text: a.text,
  createdAt: a.createdAt.toISOString(),
  withdrawnAt: a.withdrawnAt?.toISOString() ?? null,
});

async function memberView(db: DbOrTx, userId: string, a: Row): Promise<Alert> {
  const [ack] = await db
    .select({ at: alertAcks.ackedAt })
    .from(alertAcks)
    .where(and(eq(alertAcks.alertId, a.id), eq(alertAcks.userId, userId)));
  return { ...base(a), acknowledgedAt: ack?.at.toISOString() ?? null };
}

async function staffViews(db: DbOrTx, rows: Row[]): Promise<StaffAlert[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [acks, authors] = await Promise.all([
    db
      .select({ id: alertAcks.alertId, n: count() })
      .from(alertAcks)
      .where(inArray(alertAcks.alertId, ids))
      .groupBy(alertAcks.alertId),
    peopleByIds(
      db,
      rows.map((r) => r.authorId),
    ),
  ]);
  const acked = new Map(acks.map((a) => [a.id, a.n]));
  return rows.map((a) => ({
    ...base(a),
    authorName: authors.get(a.authorId)?.name || '社区工作人员',
    members: a.members,
    reached: a.reached,
    acknowledged: acked.get(a.id) ?? 0,
    deliveredAt: a.deliveredAt?.toISOString() ?? null,
  }));
}

// ---- residents ----------------------------------------------------------------------------------

/** The banner: live alerts of the caller's communities they have not acknowledged, newest first. */
export async function liveAlerts(deps: Deps, actor: Actor) {
  const communities = await memberCommunities(deps.db, actor);
  const since = new Date(deps.clock.now().getTime() - deps.config.COMMUNITY_ALERT_LIVE_HOURS * 3_600_000);
  const rows = await deps.db
    .select()
    .from(communityAlerts)
    .where(
      and(
        inArray(communityAlerts.communityId, communities),
        isNull(communityAlerts.withdrawnAt),
        gt(communityAlerts.createdAt, since),
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(alertAcks)
            .where(and(eq(alertAcks.alertId, communityAlerts.id), eq(alertAcks.userId, actor.userId))),
        ),
      ),
    )
    .orderBy(desc(communityAlerts.createdAt))
    .limit(5);
  return { items: rows.map((a) => ({ ...base(a), acknowledgedAt: null })) };
}

export async function memberAlert(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, alertPolicies.member, id);
  return memberView(deps.db, actor.userId, await alertRow(deps.db, id));
}

/** "I have seen it": the banner goes, and so does the inbox row's unread mark. Once. */
export async function acknowledgeAlert(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, alertPolicies.member, id);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await tx
      .insert(alertAcks)
      .values({ alertId: id, userId: actor.userId, ackedAt: now })
      .onConflictDoNothing();
    await markReadByKey(tx, actor.userId, fanoutKey('alert', id), now);
    await auditIfProxy(tx, actor, 'alert.acknowledged', { type: 'alert', id });
    return memberView(tx, actor.userId, await alertRow(tx, id));
  });
}

// ---- staff --------------------------------------------------------------------------------------

export async function staffAlertList(deps: Deps, actor: Actor) {
  const rows = await deps.db
    .select()
    .from(communityAlerts)
    .where(inArray(communityAlerts.communityId, staffCommunityIds(deps.db, actor.actorId)))
    .orderBy(desc(communityAlerts.createdAt))
    .limit(100);
  const runs = await staffCommunityIds(deps.db, actor.actorId);
  const audiences = await Promise.all(
    runs.map(async ({ id }) => ({ communityId: id, members: await audienceSize(deps.db, id) })),
  );
  return { items: await staffViews(deps.db, rows), audiences };
}

export async function staffAlert(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, alertPolicies.staff, id);
  return (await staffViews(deps.db, [await alertRow(deps.db, id)]))[0]!;
}

/**
 * Staff send an urgent alert. In its transaction: the alert, its fan-out plan (chunks of members
 * by user id) and one job per chunk in the outbox, so the alert exists if and only if its
 * delivery is on its way; the chunks then run side by side on the community queue.
 */
export async function createAlert(deps: Deps, actor: Actor, body: { text: string; communityId?: string }) {
  const communityId = await staffCommunity(deps.db, actor, body.communityId);
  const row = await deps.db.transaction(async (tx) => {
    const id = uuidv7();
    // The plan needs the alert's id and the alert needs the plan's counts: plan first, then insert.
    // The chunk rows have no foreign key, so the order inside the transaction is free.
    const plan = await planFanout(tx, deps, 'alert', id, communityId);
    const [a] = await tx
      .insert(communityAlerts)
      .values({
        id,
        communityId,
        authorId: actor.actorId,
        text: body.text,
        members: plan.members,
        chunksLeft: plan.chunks,
        createdAt: deps.clock.now(),
      })
      .returning();
    await audit(tx, actor, 'alert.sent', { type: 'alert', id }, { communityId, members: plan.members });
    return a!;
  });
  return (await staffViews(deps.db, [row]))[0]!;
}

/** Sent by mistake: the banner goes at once and chunks not yet run write nothing. Once. */
export async function withdrawAlert(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, alertPolicies.staff, id);
  const row = await deps.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(communityAlerts)
      .set({ withdrawnAt: deps.clock.now() })
      .where(and(eq(communityAlerts.id, id), isNull(communityAlerts.withdrawnAt)))
      .returning();
    if (moved) await audit(tx, actor, 'alert.withdrawn', { type: 'alert', id });
    return moved ?? (await alertRow(tx, id));
  });
  return (await staffViews(deps.db, [row]))[0]!;
}
