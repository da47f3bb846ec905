import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { localMonth, zonedInstant } from 'shared';
import type { Actor } from '../../access/actor';
import type { AppDeps } from '../../deps';
import { notFound } from '../../http/errors';
import { peopleByIds, rolesOf } from '../identity';
import { ordersOfUserIn } from '../orders';
import { elderContext } from './elders';
import { mealPlanOf } from './meals';
import { careBookings, elderAccessLog, voucherLedger } from './tables';
import { bookingViews } from './views';
import { voucherBalance } from './vouchers';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const FIELD_LABELS: Record<string, string> = {
  address: '住址',
  phone: '电话',
  health_notes: '健康情况',
  emergency_contacts: '紧急联系人',
};

/** The role a reader read in, as the family would name it (a family member holds no special role). */
function readerLabel(roles: string[]): string {
  if (roles.includes('caregiver')) return '护理员';
  if (roles.includes('staff')) return '社区工作人员';
  if (roles.includes('provider')) return '服务机构';
  return '家属';
}

/** Who read the elder's personal data, newest first (the elder and their family see it). */
export async function accessLogOf(deps: Deps, elderId: string, limit = 100) {
  const rows = await deps.db
    .select()
    .from(elderAccessLog)
    .where(eq(elderAccessLog.elderId, elderId))
    .orderBy(desc(elderAccessLog.at))
    .limit(limit);
  const people = await peopleByIds(
    deps.db,
    rows.map((r) => r.readerId),
  );
  const roles = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.readerId)))
    roles.set(id, readerLabel(await rolesOf(deps.db, id)));
  return rows.map((r) => ({
    id: r.id,
    readerName: people.get(r.readerId)?.name ?? '',
    readerRole: roles.get(r.readerId) ?? '',
    field: FIELD_LABELS[r.field] ?? r.field,
    reason: r.reason,
    at: r.at.toISOString(),
  }));
}

export async function myAccessLog(deps: Deps, actor: Actor) {
  return { items: await accessLogOf(deps, actor.userId) };
}

/**
 * One page per elder for the family (and the elder): visits, vouchers, the meal plan, produce
 * waiting in lockers, and who read the elder's data.
 */
export async function familyDashboard(deps: Deps, actor: Actor) {
  const { db } = deps;
  const now = deps.clock.now();
  const elder = await elderContext(db, actor.userId, now);
  if (!elder) throw notFound();
  const tz = deps.config.TZ_DISPLAY;
  const month = localMonth(now, tz);
  const monthStart = zonedInstant(`${month}-01`, '00:00', tz);
  const [next, past, balance, spent, selfPay, mealPlan, lockers, log] = await Promise.all([
    db
      .select()
      .from(careBookings)
      .where(
        and(
          eq(careBookings.elderId, elder.elderId),
          gte(careBookings.endsAt, now),
          inArray(careBookings.status, ['requested', 'confirmed', 'in_service']),
        ),
      )
      .orderBy(careBookings.startsAt)
      .limit(10),
    db
      .select()
      .from(careBookings)
      .where(and(eq(careBookings.elderId, elder.elderId), lt(careBookings.startsAt, now)))
      .orderBy(desc(careBookings.startsAt))
      .limit(10),
    voucherBalance(db, elder.elderId),
    db
      .select({ sum: sql<string>`coalesce(sum(-${voucherLedger.amountFen}), 0)` })
      .from(voucherLedger)
      .where(
        and(
          eq(voucherLedger.elderId, elder.elderId),
          eq(voucherLedger.month, month),
          inArray(voucherLedger.kind, ['spend', 'return']),
        ),
      ),
    db
      .select({ sum: sql<string>`coalesce(sum(${careBookings.selfPayFen}), 0)` })
      .from(careBookings)
      .where(
        and(
          eq(careBookings.elderId, elder.elderId),
          gte(careBookings.startsAt, monthStart),
          inArray(careBookings.status, ['requested', 'confirmed', 'in_service', 'completed', 'no_show']),
        ),
      ),
    mealPlanOf(db, elder.elderId, now, tz),
    ordersOfUserIn(db, elder.elderId, ['in_locker', 'overdue']),
    accessLogOf(deps, elder.elderId, 10),
  ]);
  const views = await bookingViews(db, [...next, ...past.filter((p) => !next.some((n) => n.id === p.id))]);
  return {
    elder: { id: elder.elderId, name: elder.name, age: elder.age },
    nextVisits: views.filter((v) => next.some((n) => n.id === v.id)),
    pastVisits: views.filter((v) => !next.some((n) => n.id === v.id)),
    voucher: {
      balanceFen: balance,
      month,
      spentFen: Number(spent[0]?.sum ?? 0),
      selfPayFen: Number(selfPay[0]?.sum ?? 0),
    },
    mealPlan,
    lockerOrders: lockers.flatMap((o) =>
      o.locker
        ? [
            {
              orderId: o.id,
              shortNo: o.id.slice(-6).toUpperCase(),
              bankName: o.locker.bankName,
              compartment: o.locker.compartments.join('、'),
              pickupBy: o.locker.deadline,
            },
          ]
        : [],
    ),
    accessLog: log,
  };
}
