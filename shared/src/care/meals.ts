import { MEAL_KINDS, type MealKind } from '../contracts/care';
import { DISPLAY_TZ } from '../time/display';
import { addDays, zonedInstant } from '../time/zoned';

/**
 * 助餐: an elder's standing order of lunches and/or dinners from the elder canteen. Pure, so the
 * BFF (plan view, skips, the cut-off job, the canteen's list) and the mini-program (the "skip
 * tomorrow" button) agree on which meals a plan makes and until when each can be skipped.
 */

/**
 * Local cut-off of each meal on its own day. The canteen serves lunch from 11:30 and dinner from
 * 17:30; it buys and cooks to the count and the delivery volunteers plan their round from the
 * list, which needs about two and a half hours. Same-day cut-offs (rather than the evening
 * before) let an elder who wakes up unwell, or is taken out for the day, still skip that meal.
 */
export const MEAL_CUTOFF_LOCAL: Record<MealKind, string> = { lunch: '09:00', dinner: '14:00' };

/**
 * What one meal costs, in fen, whichever canteen cooks it: the civil-affairs programme fixes one
 * price for subsidised elder meals in the community, so a per-provider column would only invite
 * drift. The price is copied onto the plan and each meal booking, so changing it never touches
 * a meal already made.
 */
export const MEAL_PRICE_FEN = 1200;

/** How many days ahead the plan view lists (today included). */
export const MEAL_UPCOMING_DAYS = 7;

/** The furthest ahead a meal can be skipped: a skip list, not a second calendar. */
export const MEAL_SKIP_MAX_DAYS = 60;

export interface MealSchedule {
  meals: readonly MealKind[];
  /** ISO weekdays, 1 = Monday. */
  weekdays: readonly number[];
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local calendar date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The instant after which a meal can no longer be skipped (and the canteen's list is made). */
export function mealCutoffAt(date: string, meal: MealKind, tz: string = DISPLAY_TZ): Date {
  return zonedInstant(date, MEAL_CUTOFF_LOCAL[meal], tz);
}

/** Whether the plan makes this meal on this day. */
export function planMakes(plan: MealSchedule, date: string, meal: MealKind): boolean {
  return plan.meals.includes(meal) && plan.weekdays.includes(isoWeekday(date));
}

/** The meals the plan makes on one day, lunch first: "skip tomorrow" posts a skip for each. */
export function mealsOn(plan: MealSchedule, date: string): MealKind[] {
  return MEAL_KINDS.filter((meal) => planMakes(plan, date, meal));
}

/** Days and meals in a stable order, without repeats (what a plan stores). */
export function normalizeSchedule(plan: MealSchedule): { meals: MealKind[]; weekdays: number[] } {
  return {
    meals: MEAL_KINDS.filter((m) => plan.meals.includes(m)),
    weekdays: [...new Set(plan.weekdays)].sort((a, b) => a - b),
  };
}

export const mealKey = (date: string, meal: MealKind) => `${date}:${meal}`;

export interface UpcomingMeal {
  date: string;
  meal: MealKind;
  cutoffAt: Date;
  skipped: boolean;
  /** Still before the cut-off: it can be skipped (or un-skipped). */
  open: boolean;
}

/**
 * The plan's meals from `today` for `days` days. A meal whose cut-off has passed stays on the
 * list only when it was actually made (`made`): a plan started after this morning's cut-off does
 * not show a lunch nobody is cooking.
 */
export function upcomingMeals(
  plan: MealSchedule,
  opts: {
    today: string;
    now: Date;
    skipped: ReadonlySet<string>;
    made: ReadonlySet<string>;
    days?: number;
    tz?: string;
  },
): UpcomingMeal[] {
  const out: UpcomingMeal[] = [];
  for (let i = 0; i < (opts.days ?? MEAL_UPCOMING_DAYS); i++) {
    const date = addDays(opts.today, i);
    for (const meal of mealsOn(plan, date)) {
      const cutoffAt = mealCutoffAt(date, meal, opts.tz);
      const open = opts.now.getTime() < cutoffAt.getTime();
      const key = mealKey(date, meal);
      if (!open && !opts.made.has(key)) continue;
      out.push({ date, meal, cutoffAt, skipped: opts.skipped.has(key), open });
    }
  }
  return out;
}

/**
 * What a voucher pays of one meal: the community's cap of the price for an eligible elder,
 * rounded down to the fen. The share is taken whole or not at all (the balance short means the
 * meal is all self-pay), so each meal's split reads the same on the reconciliation.
 */
export function mealVoucherShare(priceFen: number, opts: { capPercent: number; eligible: boolean }): number {
  if (!opts.eligible) return 0;
  return Math.floor((priceFen * Math.max(0, Math.min(100, opts.capPercent))) / 100);
}
