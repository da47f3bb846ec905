import { and, asc, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import {
  type AttendanceReport,
  ageOn,
  type CareStatement,
  localClock,
  localMonth,
  MEAL_KIND_LABELS,
  MEAL_MODE_LABELS,
  type VoucherAccount,
  zonedInstant,
} from 'shared';
import { z } from 'zod';
import type { Actor } from '../../access/actor';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { defineJob, handles, type JobHandler } from '../../module';
import { peopleByIds, withBirthDate } from '../identity';
import { verifiedResidents } from '../memberships';
import { compoundsByIds, compoundsRunBy } from '../places';
import { elderContext } from './elders';
import { careSettingsOf, meetsAge } from './settings';
import {
  careBookings,
  caregivers,
  careProviders,
  careVisits,
  elderProfiles,
  mealBookings,
  voucherLedger,
} from './tables';
import { grantMonthly, voucherBalance } from './vouchers';

/**
 * Vouchers as the family sees them, the monthly allotment, and what staff reconcile with civil
 * affairs: the month's statement per provider and per elder, its CSV export, and attendance.
 */

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type Out<T extends z.ZodType> = z.input<T>;

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/**
 * Fired by the job scheduler at 00:00 on the 1st (local time). The month is read from the clock
 * when it runs, never trusted from the payload: a late or replayed job grants the month it runs
 * in, and one that names another month does nothing.
 */
export const careMonthlyVouchersJob = defineJob({
  queue: 'care',
  name: 'care.monthlyVouchers',
  payload: z.object({ month: Month.optional() }),
});
export const VOUCHER_SCHEDULER_ID = 'care-monthly-vouchers';

const GRANT_BATCH = 100;
/** care_settings_ranges: min_age BETWEEN 50 AND 120. */
const MIN_AGE_FLOOR = 50;

// ---- the family's account -----------------------------------------------------------------------

/** The elder's balance and this local month's ledger, newest first, each line in words. */
export async function voucherAccount(deps: Deps, elderId: string): Promise<Out<typeof VoucherAccount>> {
  const db: Db = deps.db;
  const tz = deps.config.TZ_DISPLAY;
  const month = localMonth(deps.clock.now(), tz);
  const rows = await db
    .select({
      id: voucherLedger.id,
      kind: voucherLedger.kind,
      amountFen: voucherLedger.amountFen,
      month: voucherLedger.month,
      at: voucherLedger.createdAt,
      itemName: careBookings.itemName,
      mealDate: mealBookings.date,
      meal: mealBookings.meal,
    })
    .from(voucherLedger)
    .leftJoin(careBookings, eq(careBookings.id, voucherLedger.bookingId))
    .leftJoin(mealBookings, eq(mealBookings.id, voucherLedger.mealBookingId))
    .where(
      and(
        eq(voucherLedger.elderId, elderId),
        // The month's lines, and whatever moved the balance this month (a visit booked now for
        // next month spends now, under next month): the family sees every change of the balance.
        or(
          eq(voucherLedger.month, month),
          and(
            gte(voucherLedger.createdAt, monthStart(month, tz)),
            lt(voucherLedger.createdAt, monthStart(nextMonth(month), tz)),
          ),
        ),
      ),
    )
    .orderBy(desc(voucherLedger.createdAt), desc(voucherLedger.id));
  return {
    balanceFen: await voucherBalance(db, elderId),
    month,
    entries: rows.map((r) => ({
      id: r.id,
      kind: r.kind as 'grant' | 'spend' | 'return',
      amountFen: r.amountFen,
      month: r.month,
      label: entryLabel(r),
      at: r.at.toISOString(),
    })),
  };
}

function entryLabel(r: {
  kind: string;
  itemName: string | null;
  mealDate: string | null;
  meal: 'lunch' | 'dinner' | null;
}): string {
  if (r.kind === 'grant') return '每月发放';
  if (r.meal && r.mealDate) {
    const [, m, d] = r.mealDate.split('-').map(Number);
    const meal = `助餐（${m}月${d}日${MEAL_KIND_LABELS[r.meal]}）`;
    return r.kind === 'spend' ? `${meal}抵扣` : `取消${meal}退回`;
  }
  if (r.kind === 'spend') return r.itemName ? `预约${r.itemName} 抵扣` : '服务抵扣';
  return r.itemName ? `取消${r.itemName} 退回` : '取消退回';
}

// ---- the monthly allotment ----------------------------------------------------------------------

/** Creates (or leaves as it is: the id is fixed) the scheduler of the monthly allotment. */
export async function startVoucherScheduler(deps: Pick<AppDeps, 'queues' | 'config'>): Promise<void> {
  await deps.queues
    .get(careMonthlyVouchersJob.queue)
    .upsertJobScheduler(
      VOUCHER_SCHEDULER_ID,
      { pattern: '0 0 1 * *', tz: deps.config.TZ_DISPLAY },
      { name: careMonthlyVouchersJob.name, data: {} },
    );
}

/**
 * Everyone who might be owed an allotment: elders with a care profile, and every verified resident
 * with a birth date. Who of them is old enough, and where they live, `elderContext` decides.
 */
export async function allotmentCandidates(db: DbOrTx): Promise<string[]> {
  const ids = new Set<string>();
  for (const p of await db.select({ id: elderProfiles.userId }).from(elderProfiles)) ids.add(p.id);
  for (const id of await withBirthDate(db, verifiedResidents(db))) ids.add(id);
  // One order for every run, so two runs at once wait on each other's rows instead of deadlocking.
  return [...ids].sort();
}

/**
 * Grants `month`'s allotment to every eligible elder: born, old enough on today's local date for
 * their community's minimum age, and living in it (the profile's household or a verified
 * membership, as bookings see it). The unique grant index makes a second run, or two at once,
 * grant nothing more; a month after the clock's is never granted ahead.
 */
export async function grantMonthlyVouchers(
  deps: Deps,
  month: string,
): Promise<{ month: string; granted: number; eligible: number }> {
  const db: Db = deps.db;
  const now = deps.clock.now();
  const today = localClock(now, deps.config.TZ_DISPLAY).date;
  if (month > localMonth(now, deps.config.TZ_DISPLAY)) return { month, granted: 0, eligible: 0 };
  const already = new Set(
    (
      await db
        .select({ id: voucherLedger.elderId })
        .from(voucherLedger)
        .where(and(eq(voucherLedger.kind, 'grant'), eq(voucherLedger.month, month)))
    ).map((r) => r.id),
  );
  const candidates = (await allotmentCandidates(db)).filter((id) => !already.has(id));
  const settings = new Map<string, Awaited<ReturnType<typeof careSettingsOf>>>();
  let granted = 0;
  let eligible = already.size;
  for (let i = 0; i < candidates.length; i += GRANT_BATCH) {
    const batch = candidates.slice(i, i + GRANT_BATCH);
    const people = await peopleByIds(db, batch);
    // No community sets its age below the settings' CHECK floor: younger people need no lookup.
    const born = batch.filter((id) => {
      const birthDate = people.get(id)?.birthDate;
      return birthDate != null && ageOn(birthDate, today) >= MIN_AGE_FLOOR;
    });
    if (born.length === 0) continue;
    await db.transaction(async (tx) => {
      for (const elderId of born) {
        const ctx = await elderContext(tx, elderId, now);
        if (!ctx?.communityId || ctx.age == null) continue;
        let rules = settings.get(ctx.communityId);
        if (!rules) {
          rules = await careSettingsOf(tx, ctx.communityId);
          settings.set(ctx.communityId, rules);
        }
        if (!meetsAge(ctx.age, rules) || rules.monthlyVoucherFen <= 0) continue;
        eligible += 1;
        if (await grantMonthly(tx, elderId, month, rules.monthlyVoucherFen)) granted += 1;
      }
    });
  }
  return { month, granted, eligible };
}

export const statementJobs: JobHandler[] = [
  handles(careMonthlyVouchersJob, async (p, deps) => {
    const month = localMonth(deps.clock.now(), deps.config.TZ_DISPLAY);
    if (p.month && p.month !== month) return { month: p.month, granted: 0, eligible: 0, stale: true };
    return grantMonthlyVouchers(deps, month);
  }),
];

// ---- staff: statement, export, attendance -------------------------------------------------------

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const monthStart = (month: string, tz: string) => zonedInstant(`${month}-01`, '00:00', tz);

/** The month's local dates as a half-open range ['YYYY-MM-01', next month's 1st). */
const monthRange = (month: string): [string, string] => [`${month}-01`, `${nextMonth(month)}-01`];

const fenSum = (col: unknown) => sql<number>`coalesce(sum(${col}), 0)`.mapWith(Number);
const count = () => sql<number>`count(*)`.mapWith(Number);
const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'zh-Hans-CN');

function completedVisitsIn(db: DbOrTx, staffId: string, month: string) {
  const [from, to] = monthRange(month);
  return and(
    eq(careBookings.status, 'completed'),
    gte(careBookings.localDate, from),
    lt(careBookings.localDate, to),
    inArray(careBookings.compoundId, compoundsRunBy(db, staffId)),
  );
}

function mealsIn(db: DbOrTx, staffId: string, month: string) {
  const [from, to] = monthRange(month);
  return and(
    gte(mealBookings.date, from),
    lt(mealBookings.date, to),
    inArray(mealBookings.compoundId, compoundsRunBy(db, staffId)),
  );
}

/**
 * The month's figures for the compounds a staff member runs: per provider (completed visits and
 * meals served, what they cost, what vouchers paid, what elders paid) and per elder.
 */
export async function careStatement(
  deps: Deps,
  actor: Actor,
  month: string,
): Promise<Out<typeof CareStatement>> {
  const db: Db = deps.db;
  const staffId = actor.actorId;
  const visitWhere = completedVisitsIn(db, staffId, month);
  const mealWhere = mealsIn(db, staffId, month);
  const money = <T extends typeof careBookings | typeof mealBookings>(t: T) => ({
    n: count(),
    priceFen: fenSum(t.priceFen),
    voucherFen: fenSum(t.voucherFen),
    selfPayFen: fenSum(t.selfPayFen),
  });
  const [visitsByProvider, mealsByProvider, visitsByElder, mealsByElder] = await Promise.all([
    db
      .select({ id: careBookings.providerId, ...money(careBookings) })
      .from(careBookings)
      .where(visitWhere)
      .groupBy(careBookings.providerId),
    db
      .select({ id: mealBookings.providerId, ...money(mealBookings) })
      .from(mealBookings)
      .where(mealWhere)
      .groupBy(mealBookings.providerId),
    db
      .select({ id: careBookings.elderId, ...money(careBookings) })
      .from(careBookings)
      .where(visitWhere)
      .groupBy(careBookings.elderId),
    db
      .select({ id: mealBookings.elderId, ...money(mealBookings) })
      .from(mealBookings)
      .where(mealWhere)
      .groupBy(mealBookings.elderId),
  ]);

  const providerIds = [...new Set([...visitsByProvider, ...mealsByProvider].map((r) => r.id))];
  const providerNames = new Map(
    providerIds.length
      ? (
          await db
            .select({ id: careProviders.id, name: careProviders.name })
            .from(careProviders)
            .where(inArray(careProviders.id, providerIds))
        ).map((p) => [p.id, p.name])
      : [],
  );
  const providers = new Map<
    string,
    {
      providerId: string;
      name: string;
      visits: number;
      meals: number;
      priceFen: number;
      voucherFen: number;
      selfPayFen: number;
    }
  >();
  const providerRow = (id: string) => {
    let row = providers.get(id);
    if (!row) {
      row = {
        providerId: id,
        name: providerNames.get(id) ?? '',
        visits: 0,
        meals: 0,
        priceFen: 0,
        voucherFen: 0,
        selfPayFen: 0,
      };
      providers.set(id, row);
    }
    return row;
  };
  for (const [rows, key] of [
    [visitsByProvider, 'visits'],
    [mealsByProvider, 'meals'],
  ] as const)
    for (const r of rows) {
      const row = providerRow(r.id);
      row[key] += r.n;
      row.priceFen += r.priceFen;
      row.voucherFen += r.voucherFen;
      row.selfPayFen += r.selfPayFen;
    }

  const people = await peopleByIds(
    db,
    [...visitsByElder, ...mealsByElder].map((r) => r.id),
  );
  const elders = new Map<
    string,
    { elderId: string; name: string; visits: number; meals: number; voucherFen: number; selfPayFen: number }
  >();
  for (const [rows, key] of [
    [visitsByElder, 'visits'],
    [mealsByElder, 'meals'],
  ] as const)
    for (const r of rows) {
      let row = elders.get(r.id);
      if (!row) {
        row = {
          elderId: r.id,
          name: people.get(r.id)?.name ?? '',
          visits: 0,
          meals: 0,
          voucherFen: 0,
          selfPayFen: 0,
        };
        elders.set(r.id, row);
      }
      row[key] += r.n;
      row.voucherFen += r.voucherFen;
      row.selfPayFen += r.selfPayFen;
    }

  return {
    month,
    providers: [...providers.values()].sort(byName),
    elders: [...elders.values()].sort(byName),
  };
}

/** The export's columns, in order (the README's "Care reconciliation export" lists them). */
export const EXPORT_COLUMNS = [
  '月份',
  '服务日期',
  '类别',
  '长者姓名',
  '小区',
  '服务项目',
  '服务机构',
  '护理员',
  '开始时间',
  '结束时间',
  '签到时间',
  '签退时间',
  '服务价格(元)',
  '服务券(元)',
  '自付(元)',
  '单号',
] as const;

/** Fen as yuan with two decimals, in integers (no float rounding in a reconciliation). */
const yuan = (fen: number) =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (= + - @, or a tab or carriage return
 * first) gets a leading apostrophe; quotes, commas and line breaks are quoted per RFC 4180.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** UTF-8 with a BOM (Excel then reads the Chinese right) and CRLF line ends. */
export function toCsv(header: readonly string[], rows: string[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/**
 * The month for the civil-affairs reconciliation: one row per completed visit and per meal in the
 * compounds the staff member runs, the same figures as the statement.
 */
export async function careExportCsv(deps: Deps, actor: Actor, month: string): Promise<string> {
  const db: Db = deps.db;
  const tz = deps.config.TZ_DISPLAY;
  const staffId = actor.actorId;
  const [visits, meals] = await Promise.all([
    db
      .select({
        b: careBookings,
        providerName: careProviders.name,
        caregiverName: caregivers.name,
        clockInAt: careVisits.clockInAt,
        clockOutAt: careVisits.clockOutAt,
      })
      .from(careBookings)
      .innerJoin(careProviders, eq(careProviders.id, careBookings.providerId))
      .innerJoin(caregivers, eq(caregivers.id, careBookings.caregiverId))
      .leftJoin(careVisits, eq(careVisits.bookingId, careBookings.id))
      .where(completedVisitsIn(db, staffId, month))
      .orderBy(asc(careBookings.startsAt), asc(careBookings.shortNo)),
    db
      .select({ m: mealBookings, providerName: careProviders.name })
      .from(mealBookings)
      .innerJoin(careProviders, eq(careProviders.id, mealBookings.providerId))
      .where(mealsIn(db, staffId, month))
      .orderBy(asc(mealBookings.date), asc(mealBookings.meal), asc(mealBookings.id)),
  ]);
  const people = await peopleByIds(db, [...visits.map((v) => v.b.elderId), ...meals.map((m) => m.m.elderId)]);
  const places = await compoundsByIds(db, [
    ...visits.map((v) => v.b.compoundId),
    ...meals.map((m) => m.m.compoundId),
  ]);
  const hhmm = (at: Date) => {
    const c = localClock(at, tz);
    return `${String(Math.floor(c.minute / 60)).padStart(2, '0')}:${String(c.minute % 60).padStart(2, '0')}`;
  };
  // A clock time on another day than the visit (an overrun past midnight) says which day.
  const clockTime = (at: Date | null, day: string) => {
    if (!at) return '';
    const date = localClock(at, tz).date;
    return date === day ? hhmm(at) : `${date} ${hhmm(at)}`;
  };

  const rows: { sort: string; cells: string[] }[] = [
    ...visits.map(({ b, providerName, caregiverName, clockInAt, clockOutAt }) => ({
      sort: `${b.localDate} 0 ${hhmm(b.startsAt)} ${b.shortNo}`,
      cells: [
        month,
        b.localDate,
        '上门服务',
        people.get(b.elderId)?.name ?? '',
        places.get(b.compoundId)?.name ?? '',
        b.itemName,
        providerName,
        caregiverName,
        hhmm(b.startsAt),
        hhmm(b.endsAt),
        clockTime(clockInAt, b.localDate),
        clockTime(clockOutAt, b.localDate),
        yuan(b.priceFen),
        yuan(b.voucherFen),
        yuan(b.selfPayFen),
        b.shortNo,
      ],
    })),
    ...meals.map(({ m, providerName }) => ({
      sort: `${m.date} 1 ${m.meal === 'lunch' ? 0 : 1} ${m.id}`,
      cells: [
        month,
        m.date,
        '助餐',
        people.get(m.elderId)?.name ?? '',
        places.get(m.compoundId)?.name ?? '',
        `${MEAL_KIND_LABELS[m.meal]}（${MEAL_MODE_LABELS[m.mode]}）`,
        providerName,
        '',
        '',
        '',
        '',
        '',
        yuan(m.priceFen),
        yuan(m.voucherFen),
        yuan(m.selfPayFen),
        m.id,
      ],
    })),
  ];
  rows.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
  return toCsv(
    EXPORT_COLUMNS,
    rows.map((r) => r.cells),
  );
}

/**
 * Late cancels and no-shows in the compounds a staff member runs: per elder (their late cancels,
 * the visits they were not home for) and per caregiver (late cancels of their visits, the visits
 * they never came to). Only people with something to show are listed, most first.
 */
export async function careAttendance(deps: Deps, actor: Actor): Promise<Out<typeof AttendanceReport>> {
  const db: Db = deps.db;
  const scope = and(
    inArray(careBookings.compoundId, compoundsRunBy(db, actor.actorId)),
    or(eq(careBookings.lateCancel, true), eq(careBookings.status, 'no_show')),
  );
  const late = sql<number>`count(*) filter (where ${careBookings.lateCancel})`.mapWith(Number);
  const missedBy = (who: 'elder' | 'caregiver') =>
    sql<number>`count(*) filter (where ${careBookings.status} = 'no_show' and ${careBookings.noShowBy} = ${who})`.mapWith(
      Number,
    );
  const [byElder, byCaregiver] = await Promise.all([
    db
      .select({ id: careBookings.elderId, lateCancels: late, noShows: missedBy('elder') })
      .from(careBookings)
      .where(scope)
      .groupBy(careBookings.elderId),
    db
      .select({
        id: careBookings.caregiverId,
        name: caregivers.name,
        lateCancels: late,
        noShows: missedBy('caregiver'),
      })
      .from(careBookings)
      .innerJoin(caregivers, eq(caregivers.id, careBookings.caregiverId))
      .where(scope)
      .groupBy(careBookings.caregiverId, caregivers.name),
  ]);
  const people = await peopleByIds(
    db,
    byElder.map((r) => r.id),
  );
  const most = <T extends { name: string; lateCancels: number; noShows: number }>(a: T, b: T) =>
    b.noShows + b.lateCancels - (a.noShows + a.lateCancels) || byName(a, b);
  return {
    elders: byElder
      .filter((r) => r.lateCancels + r.noShows > 0)
      .map((r) => ({
        elderId: r.id,
        name: people.get(r.id)?.name ?? '',
        lateCancels: r.lateCancels,
        noShows: r.noShows,
      }))
      .sort(most),
    caregivers: byCaregiver
      .filter((r) => r.lateCancels + r.noShows > 0)
      .map((r) => ({ caregiverId: r.id, name: r.name, lateCancels: r.lateCancels, noShows: r.noShows }))
      .sort(most),
  };
}
