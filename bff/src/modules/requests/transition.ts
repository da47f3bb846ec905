import { and, eq, type SQL, sql } from 'drizzle-orm';
import {
  PAGES,
  REQUEST_CATEGORY_LABELS,
  REQUEST_STATUS_LABELS,
  type RequestEvent,
  type RequestEventKind,
  requestFlow,
  wechatPage,
} from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { shopsByIds } from '../merchants';
import { notify } from '../notifications';
import { staffOf } from '../places';
import { type DeadlineKind, requestAutoCloseJob, requestDeadlineJob } from './jobs';
import { requestEvents, requestSettings, residentRequests } from './tables';
import { type RequestRow, requestNumber } from './views';

type Deps = Pick<AppDeps, 'clock' | 'config'>;
type Insert = typeof residentRequests.$inferInsert;

/** Who did it, as the timeline records it. */
export interface By {
  role: 'resident' | 'staff' | 'handler' | 'system';
  userId?: string | null;
  merchantId?: string | null;
}

export interface TransitionInput {
  event: RequestEvent;
  by: By;
  /** null for the jobs (audited as the system). */
  actor: Actor | null;
  note?: string;
  set?: { [K in keyof Insert]?: Insert[K] | SQL };
  /** More conditions for the one UPDATE (the version a dispatcher saw, the reopen count). */
  where?: SQL;
  /** The row as the caller read it before (who the handler was), for the effects. */
  before?: RequestRow;
}

export const residentLink = (id: string) => `${PAGES.requestDetail}?id=${id}`;
export const officeLink = (id: string) => `${PAGES.officeRequest}?id=${id}`;
const merchantLink = (id: string) => `${PAGES.merchantRequests}?id=${id}`;
const what = (row: RequestRow) => `${REQUEST_CATEGORY_LABELS[row.category]} ${requestNumber(row.id)}`;

/** One line of the timeline (append-only: the table refuses changes). */
export async function recordEvent(
  tx: DbOrTx,
  requestId: string,
  kind: RequestEventKind,
  by: By,
  note: string,
  at: Date,
): Promise<void> {
  await tx.insert(requestEvents).values({
    requestId,
    kind,
    byRole: by.role,
    byUserId: by.userId ?? null,
    byMerchantId: by.merchantId ?? null,
    note,
    at,
  });
}

/**
 * Every change of a request's status goes through here: one conditional UPDATE over the event's
 * source states (plus the caller's conditions) decides a race, then, in the same transaction, the
 * timeline, the audit, the notifications and the jobs the event implies (the table `AFTER`).
 * Returns nothing when the request was not in a state the event may start from.
 */
export async function transition(
  tx: DbOrTx,
  deps: Deps,
  id: string,
  input: TransitionInput,
): Promise<RequestRow | undefined> {
  const now = deps.clock.now();
  const [row] = await advance(
    tx,
    residentRequests,
    residentRequests.status,
    requestFlow,
    input.event,
    and(eq(residentRequests.id, id), input.where),
    { ...input.set, version: sql`${residentRequests.version} + 1`, updatedAt: now },
  );
  if (!row) return undefined;
  const note = input.note ?? '';
  await recordEvent(tx, id, input.event, input.by, note, now);
  await audit(
    tx,
    input.actor,
    `request.${input.event}`,
    { type: 'resident_request', id },
    note ? { note } : undefined,
  );
  await AFTER[input.event]?.(tx, deps, row, input);
  return row;
}

type Effect = (tx: DbOrTx, deps: Deps, row: RequestRow, input: TransitionInput) => Promise<void>;

async function tellResident(tx: DbOrTx, row: RequestRow, kind: string, title: string, body: string) {
  await notify(tx, {
    userId: row.residentId,
    kind: `request.${kind}`,
    title,
    body,
    link: residentLink(row.id),
    dedupeKey: `request.${kind}:${row.id}:${row.version}`,
    // 审核结果通知 fits a request's progress: what (the category), its state, when.
    wechat: {
      template: 'reviewResult',
      page: wechatPage(residentLink(row.id)),
      data: {
        thing1: `${REQUEST_CATEGORY_LABELS[row.category]}诉求`,
        phrase2: REQUEST_STATUS_LABELS[row.status],
        time3: row.updatedAt.toISOString(),
      },
    },
  });
}

/** The handler of `row` (or of the row before), whoever answers for it: the staff member or the shop's owner. */
async function handlerRecipient(
  tx: DbOrTx,
  h: Pick<RequestRow, 'id' | 'handlerUserId' | 'handlerMerchantId'>,
): Promise<{ userId: string; link: string; name: string } | null> {
  if (h.handlerUserId) return { userId: h.handlerUserId, link: officeLink(h.id), name: '社区工作人员' };
  if (!h.handlerMerchantId) return null;
  const shop = (await shopsByIds(tx, [h.handlerMerchantId])).get(h.handlerMerchantId);
  return shop ? { userId: shop.ownerId, link: merchantLink(h.id), name: shop.name } : null;
}

async function tellHandler(
  tx: DbOrTx,
  h: Pick<RequestRow, 'id' | 'handlerUserId' | 'handlerMerchantId' | 'version'>,
  kind: string,
  title: string,
  body: string,
) {
  const to = await handlerRecipient(tx, h);
  if (!to) return;
  await notify(tx, {
    userId: to.userId,
    kind: `request.${kind}`,
    title,
    body,
    link: to.link,
    dedupeKey: `request.${kind}:${h.id}:${h.version}:${to.userId}`,
  });
}

export async function tellStaff(
  tx: DbOrTx,
  row: RequestRow,
  userIds: string[],
  kind: string,
  title: string,
  body: string,
  dedupe: string = String(row.version),
) {
  for (const userId of new Set(userIds)) {
    await notify(tx, {
      userId,
      kind: `request.${kind}`,
      title,
      body,
      link: officeLink(row.id),
      dedupeKey: `request.${kind}:${row.id}:${dedupe}`,
    });
  }
}

/** The community's lead staff member, while they still run it; every staff member otherwise. */
export async function leadsOf(tx: DbOrTx, communityId: string): Promise<string[]> {
  const staff = await staffOf(tx, communityId);
  const [s] = await tx.select().from(requestSettings).where(eq(requestSettings.communityId, communityId));
  return s?.leadStaffId && staff.includes(s.leadStaffId) ? [s.leadStaffId] : staff;
}

/** Queues the job that checks a time limit when it falls due (through the outbox, in `tx`). */
export async function armDeadline(tx: DbOrTx, deps: Deps, row: RequestRow, kind: DeadlineKind) {
  const deadline = kind === 'respond' ? row.respondBy : row.resolveBy;
  await enqueue(
    tx,
    requestDeadlineJob,
    { requestId: row.id, kind, deadline: deadline.toISOString() },
    { delayMs: deadline.getTime() - deps.clock.now().getTime() },
  );
}

export const autoCloseDelayMs = (deps: Deps) => deps.config.REQUEST_AUTO_CLOSE_DAYS * 86_400_000;

const AFTER: Partial<Record<RequestEvent, Effect>> = {
  dispatch: async (tx, _deps, row, input) => {
    const before = input.before;
    const moved =
      before &&
      (before.handlerUserId !== row.handlerUserId || before.handlerMerchantId !== row.handlerMerchantId);
    if (moved)
      await tellHandler(tx, before, 'unassigned', '诉求已改派', `${what(row)} 已改派他人处理，无需再跟进`);
    await tellHandler(
      tx,
      row,
      'assigned',
      '有新的居民诉求派给您',
      `${what(row)}：${row.text.slice(0, 40)}（${row.location}）`,
    );
    const to = await handlerRecipient(tx, row);
    await tellResident(
      tx,
      row,
      'dispatched',
      '诉求已派单',
      `您的${what(row)} 已派给 ${to?.name ?? '处理人'} 处理`,
    );
  },
  accept: async (tx, _deps, row) => {
    await tellResident(tx, row, 'accepted', '诉求已接单', `您的${what(row)} 已有人接单，正在处理`);
  },
  decline: async (tx, _deps, row, input) => {
    await tellStaff(
      tx,
      row,
      await staffOf(tx, row.communityId),
      'declined',
      '诉求被退回，请重新派单',
      `${what(row)} 被处理人退回：${input.note ?? ''}`,
    );
  },
  resolve: async (tx, deps, row) => {
    await tellResident(
      tx,
      row,
      'resolved',
      '诉求已处理完成',
      `您的${what(row)} 已处理完成，请评价；如未解决可重新打开一次。${deps.config.REQUEST_AUTO_CLOSE_DAYS} 天内未评价将自动办结`,
    );
    await enqueue(
      tx,
      requestAutoCloseJob,
      { requestId: row.id, resolvedAt: row.resolvedAt!.toISOString() },
      { delayMs: autoCloseDelayMs(deps) },
    );
  },
  close: async (tx, _deps, row, input) => {
    if (input.by.role === 'system')
      await tellResident(
        tx,
        row,
        'closed',
        '诉求已自动办结',
        `您的${what(row)} 处理完成后未评价，已自动办结`,
      );
    else
      await tellHandler(
        tx,
        row,
        'rated',
        '居民已评价',
        `${what(row)} 获得 ${row.rating} 星评价${row.ratingText ? `：${row.ratingText}` : ''}`,
      );
  },
  reopen: async (tx, deps, row, input) => {
    const body = `${what(row)} 被居民重新打开：${input.note ?? ''}`;
    await tellHandler(tx, row, 'reopened', '诉求被重新打开', body);
    await tellStaff(tx, row, await staffOf(tx, row.communityId), 'reopened', '诉求被重新打开', body);
    await armDeadline(tx, deps, row, 'resolve');
  },
  reject: async (tx, _deps, row, input) => {
    await tellResident(tx, row, 'rejected', '诉求未受理', `您的${what(row)} 未受理：${input.note ?? ''}`);
  },
  withdraw: async (tx, _deps, row, input) => {
    const before = input.before;
    if (before)
      await tellHandler(tx, before, 'withdrawn', '诉求已撤回', `${what(row)} 已被居民撤回，无需处理`);
  },
};
