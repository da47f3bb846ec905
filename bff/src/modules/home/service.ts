import {
  type Home,
  type HomeCourier,
  type HomeMerchant,
  type HomeResident,
  type HomeStaff,
  localClock,
  type OrderStatus,
  orderFlow,
} from 'shared';
import type { Actor } from '../../access/actor';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/errors';
import { staffCareProviders } from '../care';
import { noticeDigest } from '../community';
import { courierBatches, openWindows, staffOverdue, windowRow } from '../lockers';
import { describeMe } from '../me';
import { memberCommunityIds, staffMemberships } from '../memberships';
import { type MerchantRow, shopOf, staffMerchants } from '../merchants';
import { moderationQueue } from '../neighbors';
import { merchantOrders, ordersOfUserIn } from '../orders';
import { merchantProducts } from '../products';
import { staffLinks } from '../proxies';
import { staffRequests } from '../requests';
import { staffVolunteers } from '../volunteers';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'redis' | 'queues'>;

/**
 * Orders a resident is still waiting for: paid and not yet in their hands. Named by what is left
 * out, so a state the order flow gains later (a new step on the way) shows here without an edit.
 */
const DONE: readonly OrderStatus[] = [
  'created',
  'picked_up',
  'completed',
  'cancelled',
  'returned',
  'refunded',
];
const ON_THE_WAY = orderFlow.states.filter((s) => !DONE.includes(s));

/** How many notices the 社区公告 count looks at (the first page of the feed). */
const NOTICE_PAGE = 20;
/** Staff lists read for a count; past this the card says 「N+」. */
const QUEUE_PAGE = 50;

/**
 * 首页 for the caller: the person and each section their roles have, read in parallel. The sections
 * start with the person, not after them: the roles are the token's (the person's own when not acting
 * for an elder), and only what needs the verified community waits for the memberships.
 */
export async function homeOf(deps: Deps, actor: Actor): Promise<Home> {
  // Acting for an elder shows the elder's home: none of the family member's own work sections.
  const own = actor.onBehalfOf === null;
  const has = (r: Actor['roles'][number]) => own && actor.roles.includes(r);
  const person = describeMe(deps.db, actor);
  const verified = person.then(
    (me) => me.memberships.find((m) => m.status === 'approved')?.communityId ?? null,
  );
  // Who shops is known from the token, except staff or couriers who also live here: theirs waits
  // for the memberships, and nobody else's is read at all.
  const shops = has('merchant') || has('resident') || !own;
  const [me, resident, merchant, courier, staff] = await Promise.all([
    person,
    shops
      ? residentHome(deps, actor, verified)
      : verified.then((communityId) => (communityId ? residentHome(deps, actor, verified) : null)),
    has('merchant') ? merchantHome(deps, actor) : null,
    has('courier') ? courierHome(deps, actor) : null,
    has('staff') ? staffHome(deps, actor) : null,
  ]);
  return { me, resident, merchant, courier, staff };
}

async function residentHome(
  deps: Deps,
  actor: Actor,
  verified: Promise<string | null>,
): Promise<HomeResident> {
  const [orders, windows, notices] = await Promise.all([
    ordersOfUserIn(deps.db, actor.userId, ON_THE_WAY),
    // Both read the member's community themselves (a subquery); without a verified home, no card.
    Promise.all([
      openWindows(deps, memberCommunityIds(deps.db, actor.userId, { latest: true })),
      verified,
    ]).then(([windows, communityId]) => (communityId ? windows : null)),
    Promise.all([noticeDigest(deps, actor, NOTICE_PAGE), verified]).then(([digest, communityId]) =>
      communityId ? digest : null,
    ),
  ]);
  const inLocker = orders.filter((o) => o.locker && (o.status === 'in_locker' || o.status === 'overdue'));
  const waiting = new Set(inLocker.map((o) => o.id));
  return {
    // The nearest deadline first: that is the one to fetch now.
    lockerOrders: inLocker
      .map((o) => ({
        orderId: o.id,
        merchantName: o.merchant.name,
        bankName: o.locker!.bankName,
        location: o.locker!.location,
        compartments: o.locker!.compartments,
        code: o.locker!.code,
        deadline: o.locker!.deadline,
        overdue: o.status === 'overdue',
      }))
      .sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? '')),
    nextWindow: windows?.items[0] ?? null,
    activeOrders: orders
      .filter((o) => !waiting.has(o.id))
      .map((o) => ({
        id: o.id,
        status: o.status,
        merchantName: o.merchant.name,
        title: orderTitle(o.items),
        mode: o.delivery.mode,
        deliverAt: o.locker?.deliverAt ?? null,
        batchStatus: o.locker?.batchStatus ?? null,
      })),
    notices,
  };
}

/** 西红柿 等 3 件: the first item's name, and how many kinds in all. */
function orderTitle(items: { name: string }[]): string {
  const first = items[0]?.name ?? '';
  return items.length > 1 ? `${first} 等 ${items.length} 件` : first;
}

async function merchantHome(deps: Deps, actor: Actor): Promise<HomeMerchant | null> {
  const now = deps.clock.now();
  // The shop's lists find the shop by a subquery, so they go out beside it rather than after it.
  // The order list (to accept and to pack) carries the open counts too (the tabs' badges).
  const lists = Promise.all([
    merchantOrders(deps.db, actor, { status: ['paid', 'accepted'], limit: 100 }),
    merchantProducts(deps.db, actor, now),
  ]);
  let shop: MerchantRow;
  try {
    [shop] = await Promise.all([shopOf(deps.db, actor), lists]);
  } catch (err) {
    // The merchant role without a shop (an application withdrawn): nothing to show.
    if (err instanceof AppError && err.statusCode === 404) return null;
    throw err;
  }
  const [open, goods] = await lists;
  const low = goods.items
    .filter((p) => p.stock <= p.lowStockThreshold)
    .sort((a, b) => a.stock - b.stock || a.name.localeCompare(b.name));
  return {
    shop: { id: shop.id, name: shop.name, status: shop.status },
    toAccept: open.counts.paid ?? 0,
    toPack: open.counts.accepted ?? 0,
    refundRequests: open.counts.refund_requested ?? 0,
    nextCutoff: await nextCutoff(deps, open.items, now),
    lowStock: low.slice(0, 5).map((p) => ({ id: p.id, name: p.name, stock: p.stock, unit: p.unit })),
    lowStockCount: low.length,
  };
}

/**
 * The earliest cut-off still ahead that the shop's open locker orders are for: what to accept and
 * pack by. Orders for later windows wait for their own.
 */
async function nextCutoff(
  deps: Deps,
  open: { status: OrderStatus; locker: { windowId: string; deliverAt: string } | null }[],
  now: Date,
): Promise<HomeMerchant['nextCutoff']> {
  const ids = [...new Set(open.flatMap((o) => (o.locker ? [o.locker.windowId] : [])))];
  const windows = (await Promise.all(ids.map((id) => windowRow(deps.db, id))))
    .filter((w) => w !== undefined && w.cutoffAt > now)
    .sort((a, b) => a!.cutoffAt.getTime() - b!.cutoffAt.getTime());
  const w = windows[0];
  if (!w) return null;
  const due = open.filter((o) => o.locker?.windowId === w.id);
  return {
    cutoffAt: w.cutoffAt.toISOString(),
    deliverAt: w.deliverAt.toISOString(),
    toAccept: due.filter((o) => o.status === 'paid').length,
    toPack: due.filter((o) => o.status === 'accepted').length,
  };
}

async function courierHome(deps: Deps, actor: Actor): Promise<HomeCourier> {
  const today = localClock(deps.clock.now(), deps.config.TZ_DISPLAY).date;
  const { items } = await courierBatches(deps.db, actor);
  return {
    // A finished batch stays while its delivery day has not passed: one done early (the evening
    // before a morning delivery) is still the courier's work of the day.
    batches: items
      .filter(
        (b) => b.status !== 'done' || localClock(new Date(b.deliverAt), deps.config.TZ_DISPLAY).date >= today,
      )
      .sort((a, b) => a.deliverAt.localeCompare(b.deliverAt)),
  };
}

/** Each queue as a count, read through the owning module's own staff list (same scope, same rules). */
async function staffHome(deps: Deps, actor: Actor): Promise<HomeStaff> {
  const now = deps.clock.now();
  const page = { limit: QUEUE_PAGE };
  const [memberships, merchants, overdue, proxies, providers, volunteers, moderation, requests] =
    await Promise.all([
      staffMemberships(deps.db, actor, 'pending'),
      staffMerchants(deps.db, actor, 'pending', now),
      staffOverdue(deps.db, actor),
      staffLinks(deps.db, actor, 'pending'),
      staffCareProviders(deps.db, actor, 'pending'),
      staffVolunteers(deps, actor, 'pending'),
      moderationQueue(deps, actor, { status: 'open', ...page }),
      staffRequests(deps, actor, { status: 'submitted', ...page }),
    ]);
  const full = (n: number) => ({ count: n, more: false });
  const paged = (p: { items: unknown[]; nextCursor: string | null }) => ({
    count: p.items.length,
    more: p.nextCursor !== null,
  });
  return {
    queues: [
      { key: 'memberships', ...full(memberships.items.length) },
      { key: 'merchants', ...full(merchants.items.length) },
      { key: 'overdueLockers', ...full(overdue.items.length) },
      { key: 'proxyConsents', ...full(proxies.items.length) },
      { key: 'careProviders', ...full(providers.items.length) },
      { key: 'volunteers', ...full(volunteers.items.length) },
      { key: 'moderation', ...paged(moderation) },
      { key: 'requests', ...paged(requests) },
    ],
  };
}
