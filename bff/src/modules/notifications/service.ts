import { and, desc, eq, inArray, isNotNull, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { formatDisplayTime, type Notification, wechatDeliveryFlow } from 'shared';

type DeliveryEvent = keyof typeof wechatDeliveryFlow.transitions;

import type { Actor } from '../../access/actor';
import type { Db, DbOrTx } from '../../db/client';
import { compiledSelect } from '../../db/compiled';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { badRequest } from '../../http/errors';
import { isRetryableWechatError, WechatError } from '../../integrations/wechat/client';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { userById } from '../identity';
import { sendWechatJob } from './jobs';
import { notifications, subscribeQuotas, wechatDeliveries } from './tables';
import { type TemplatePurpose, templateIds } from './templates';

/** A UTC instant in template data is shown in the deployment's display zone when it is sent. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const displayValue = (v: unknown, tz: string) =>
  typeof v === 'string' && ISO_INSTANT.test(v) ? formatDisplayTime(v, tz) : String(v);

export interface NotifyInput {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link?: string;
  /** Same event, same key: a replay notifies nobody twice. */
  dedupeKey: string;
  /**
   * A WeChat subscribe message to send as well, when the user has granted one. Times go in as
   * `Date#toISOString()` (UTC) and are shown in TZ_DISPLAY when sent.
   */
  wechat?: { template: TemplatePurpose; page?: string; data: Record<string, string> };
}

/**
 * Always writes the inbox; queues a subscribe message through the outbox when asked. Call inside
 * the transaction of the change that causes it.
 */
export async function notify(tx: DbOrTx, input: NotifyInput): Promise<{ id: string } | null> {
  const [row] = await tx
    .insert(notifications)
    .values({
      userId: input.userId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      link: input.link ?? null,
      dedupeKey: input.dedupeKey,
    })
    .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  if (!row) return null;
  if (input.wechat) {
    const { template, data, page } = input.wechat;
    await tx.insert(wechatDeliveries).values({ notificationId: row.id, template, data, page: page ?? null });
    await enqueue(tx, sendWechatJob, { notificationId: row.id });
  }
  return row;
}

/** Many inbox-only notices in one statement (a batch build telling hundreds of residents). */
export async function notifyMany(tx: DbOrTx, inputs: Omit<NotifyInput, 'wechat'>[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const rows = await tx
    .insert(notifications)
    .values(
      inputs.map((n) => ({
        userId: n.userId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link ?? null,
        dedupeKey: n.dedupeKey,
      })),
    )
    .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  return rows.length;
}

const toView = (n: typeof notifications.$inferSelect): Notification => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  body: n.body,
  link: n.link,
  readAt: n.readAt?.toISOString() ?? null,
  createdAt: n.createdAt.toISOString(),
});

// Asked on every /v1/me and inbox read: built once.
const unreadRow = compiledSelect<{ userId: string }, ReturnType<typeof selectUnread>>((db, p) =>
  selectUnread(db, p('userId')),
);
const selectUnread = (db: DbOrTx, userId: SQLWrapper) =>
  db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const [r] = await unreadRow(db, { userId });
  return r?.n ?? 0;
}

export async function listNotifications(
  db: Db,
  userId: string,
  q: { cursor?: string; limit: number; unread?: boolean },
) {
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        q.unread === undefined
          ? undefined
          : q.unread
            ? isNull(notifications.readAt)
            : isNotNull(notifications.readAt),
        olderThan(notifications, q.cursor),
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.limit + 1);
  const { page, nextCursor } = pageOf(rows, q.limit);
  return {
    items: page.map(toView),
    nextCursor,
    unread: await unreadCount(db, userId),
  };
}

/** Only the caller's own rows are touched; ids of others' notifications simply match nothing. */
export async function markRead(
  { db, clock }: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  body: { ids?: string[]; all?: boolean },
): Promise<void> {
  if (!body.all && !body.ids?.length)
    throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
      { path: 'body.ids', message: 'give ids or all: true' },
    ]);
  await db.transaction(async (tx) => {
    const read = await tx
      .update(notifications)
      .set({ readAt: clock.now() })
      .where(
        and(
          eq(notifications.userId, actor.userId),
          isNull(notifications.readAt),
          body.all ? undefined : inArray(notifications.id, body.ids!),
        ),
      )
      .returning({ id: notifications.id });
    // Reading an elder's messages for them is a proxy action like any other.
    if (actor.onBehalfOf)
      await audit(
        tx,
        actor,
        'notifications.read',
        { type: 'notification', id: null },
        { count: read.length },
      );
  });
}

export async function quotaFor(db: DbOrTx, userId: string) {
  const rows = await db
    .select({ templateId: subscribeQuotas.templateId, remaining: subscribeQuotas.remaining })
    .from(subscribeQuotas)
    .where(eq(subscribeQuotas.userId, userId))
    .orderBy(subscribeQuotas.templateId);
  return { items: rows };
}

/** Each template the user accepted in requestSubscribeMessage is worth one send. */
export async function recordGrants(
  { db, clock }: Pick<AppDeps, 'db' | 'clock'>,
  userId: string,
  results: Record<string, string>,
) {
  const accepted = Object.entries(results)
    .filter(([, v]) => v === 'accept')
    .map(([templateId]) => templateId);
  for (const templateId of accepted) {
    await db
      .insert(subscribeQuotas)
      .values({ userId, templateId, remaining: 1 })
      .onConflictDoUpdate({
        target: [subscribeQuotas.userId, subscribeQuotas.templateId],
        set: { remaining: sql`${subscribeQuotas.remaining} + 1`, updatedAt: clock.now() },
      });
  }
  return quotaFor(db, userId);
}

export type DeliveryOutcome = 'sent' | 'no_quota' | 'no_openid' | 'skipped' | 'failed';

/** Longer than one send with its timeout; a claim older than this belongs to a dead worker. */
const SEND_LEASE_MS = 60_000;

type DeliveryRow = Omit<typeof wechatDeliveries.$inferInsert, 'status' | 'notificationId'>;
type DeliveryChange = { [K in keyof DeliveryRow]?: DeliveryRow[K] | SQL };

/** Every status change of a delivery goes through its flow: one conditional update. */
async function moveDelivery(
  tx: DbOrTx,
  notificationId: string,
  event: DeliveryEvent,
  change: DeliveryChange = {},
) {
  const moved = await advance(
    tx,
    wechatDeliveries,
    wechatDeliveries.status,
    wechatDeliveryFlow,
    event,
    eq(wechatDeliveries.notificationId, notificationId),
    change as Partial<typeof wechatDeliveries.$inferInsert>,
  );
  return moved.length > 0;
}

/**
 * Sends one notification's subscribe message at most once. The delivery row is the dedupe: a
 * replayed job finds it already sent. The quota is spent once, before the first try, and given
 * back if WeChat never took the message.
 */
export async function deliverWechat(
  deps: Pick<AppDeps, 'db' | 'wechat' | 'config' | 'clock'>,
  notificationId: string,
  attempt: { isLast: boolean },
): Promise<DeliveryOutcome> {
  const { db, wechat } = deps;
  const prepared = await db.transaction(async (tx) => {
    const [found] = await tx
      .select({ d: wechatDeliveries, userId: notifications.userId })
      .from(wechatDeliveries)
      .innerJoin(notifications, eq(notifications.id, wechatDeliveries.notificationId))
      .where(eq(wechatDeliveries.notificationId, notificationId))
      .for('update', { of: wechatDeliveries });
    const row = found && { ...found, openid: (await userById(tx, found.userId))?.openid ?? null };
    const leaseExpired =
      row?.d.status === 'sending' &&
      (row.d.claimedAt?.getTime() ?? 0) < deps.clock.now().getTime() - SEND_LEASE_MS;
    if (!row || (row.d.status !== 'pending' && !leaseExpired)) return { outcome: 'skipped' as const };
    if (!row.openid) {
      await moveDelivery(tx, notificationId, 'noOpenid', { lastError: 'user has no WeChat openid' });
      return { outcome: 'no_openid' as const };
    }
    const templateId = templateIds(deps.config)[row.d.template as TemplatePurpose];
    if (!row.d.quotaTaken) {
      const spent = await tx
        .update(subscribeQuotas)
        .set({ remaining: sql`${subscribeQuotas.remaining} - 1`, updatedAt: deps.clock.now() })
        .where(
          and(
            eq(subscribeQuotas.userId, row.userId),
            eq(subscribeQuotas.templateId, templateId),
            sql`${subscribeQuotas.remaining} > 0`,
          ),
        )
        .returning({ remaining: subscribeQuotas.remaining });
      if (spent.length === 0) {
        await moveDelivery(tx, notificationId, 'noQuota');
        return { outcome: 'no_quota' as const };
      }
    }
    // Claimed: a concurrent or replayed job for this notification now skips it.
    await moveDelivery(tx, notificationId, 'claim', { quotaTaken: true, claimedAt: deps.clock.now() });
    return {
      outcome: 'send' as const,
      userId: row.userId,
      templateId,
      msg: {
        openid: row.openid,
        templateId,
        page: row.d.page ?? undefined,
        data: Object.fromEntries(
          Object.entries(row.d.data).map(([k, v]) => [k, { value: displayValue(v, deps.config.TZ_DISPLAY) }]),
        ),
      },
    };
  });
  if (prepared.outcome !== 'send') return prepared.outcome;

  try {
    await wechat.sendSubscribeMessage(prepared.msg);
  } catch (err) {
    const wechatRefused = err instanceof WechatError && !isRetryableWechatError(err);
    const permanent = wechatRefused || attempt.isLast;
    await db.transaction(async (tx) => {
      await moveDelivery(tx, notificationId, permanent ? 'fail' : 'retry', {
        attempts: sql`${wechatDeliveries.attempts} + 1`,
        lastError: String((err as Error).message ?? err).slice(0, 500),
      });
      // WeChat did not take it, so the user's grant is still unused — unless WeChat says there is none.
      if (permanent && !(err instanceof WechatError && err.kind === 'no_subscription')) {
        await tx
          .update(subscribeQuotas)
          .set({ remaining: sql`${subscribeQuotas.remaining} + 1` })
          .where(
            and(
              eq(subscribeQuotas.userId, prepared.userId),
              eq(subscribeQuotas.templateId, prepared.templateId),
            ),
          );
      }
    });
    if (permanent) return 'failed';
    throw err;
  }
  await moveDelivery(db, notificationId, 'deliver', {
    sentAt: deps.clock.now(),
    attempts: sql`${wechatDeliveries.attempts} + 1`,
  });
  return 'sent';
}

/**
 * A uuid v7 made by the database (PostgreSQL 15 and PGlite have no uuidv7()): the time in ms over
 * a random uuid, version bits set to 7, so rows written by INSERT ... SELECT keep time-ordered ids.
 */
const SQL_UUID_V7 = sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
  52, 1), 53, 1), 'hex')::uuid`;

/**
 * One notice to everyone a subquery names (a select of one column of user ids), in one
 * INSERT ... SELECT: an urgent alert reaches a whole community chunk by chunk this way. The dedupe
 * key makes a replayed chunk write nothing twice. With `wechat`, a subscribe message is queued for
 * those just written who still have a grant of that template (the others have no quota to spend:
 * the inbox is what they get); the send itself spends the grant, as `notify`'s do.
 */
export async function notifyAudience(
  tx: DbOrTx,
  userIds: SQLWrapper,
  input: Omit<NotifyInput, 'userId' | 'wechat'>,
  opts: { wechat?: NonNullable<NotifyInput['wechat']>; templateId?: string } = {},
): Promise<{ written: number; wechat: number }> {
  const written = (await tx.execute(sql`
    INSERT INTO ${notifications} (id, user_id, kind, title, body, link, dedupe_key)
    SELECT ${SQL_UUID_V7}, a.id, ${input.kind}, ${input.title}, ${input.body}, ${input.link ?? null},
      ${input.dedupeKey}
    FROM (${userIds}) AS a(id)
    ON CONFLICT (user_id, dedupe_key) DO NOTHING
    RETURNING id, user_id`)) as unknown as { id: string; user_id: string }[];
  if (!opts.wechat || !opts.templateId || written.length === 0) return { written: written.length, wechat: 0 };
  const { template, data, page } = opts.wechat;
  const granted = await tx
    .select({ userId: subscribeQuotas.userId })
    .from(subscribeQuotas)
    .where(
      and(
        inArray(
          subscribeQuotas.userId,
          written.map((w) => w.user_id),
        ),
        eq(subscribeQuotas.templateId, opts.templateId),
        sql`${subscribeQuotas.remaining} > 0`,
      ),
    );
  const withGrant = new Set(granted.map((g) => g.userId));
  const sends = written.filter((w) => withGrant.has(w.user_id));
  if (sends.length === 0) return { written: written.length, wechat: 0 };
  await tx
    .insert(wechatDeliveries)
    .values(sends.map((s) => ({ notificationId: s.id, template, data, page: page ?? null })));
  for (const s of sends) await enqueue(tx, sendWechatJob, { notificationId: s.id });
  return { written: written.length, wechat: sends.length };
}

/** Marks one notification of a user read by its dedupe key (acknowledging what it announced). */
export async function markReadByKey(tx: DbOrTx, userId: string, dedupeKey: string, at: Date): Promise<void> {
  await tx
    .update(notifications)
    .set({ readAt: at })
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.dedupeKey, dedupeKey),
        isNull(notifications.readAt),
      ),
    );
}
