import { addDays, MEAL_KIND_LABELS, type MealKind } from 'shared';

export interface UpcomingMeal {
  date: string;
  meal: MealKind;
  cutoffAt: string;
  skipped: boolean;
  open: boolean;
}

/** The meals 明天不用餐 would skip: tomorrow's, still open, not skipped yet. */
export function tomorrowToSkip(upcoming: readonly UpcomingMeal[], today: string): UpcomingMeal[] {
  const tomorrow = addDays(today, 1);
  return upcoming.filter((m) => m.date === tomorrow && m.open && !m.skipped);
}

/** What the big button says: how many of tomorrow's meals it skips, or why there is nothing to skip. */
export function skipTomorrowState(
  upcoming: readonly UpcomingMeal[],
  today: string,
): { enabled: boolean; text: string } {
  const tomorrow = addDays(today, 1);
  const planned = upcoming.filter((m) => m.date === tomorrow);
  const toSkip = tomorrowToSkip(upcoming, today);
  if (toSkip.length) return { enabled: true, text: '明天不用餐' };
  if (planned.length === 0) return { enabled: false, text: '明天没有订餐' };
  if (planned.every((m) => m.skipped)) return { enabled: false, text: '明天已设为不用餐' };
  return { enabled: false, text: '明天的餐已截单，无法取消' };
}

/** 午餐、晚餐 in that order. */
export const mealsText = (meals: readonly MealKind[]) =>
  (['lunch', 'dinner'] as const)
    .filter((m) => meals.includes(m))
    .map((m) => MEAL_KIND_LABELS[m])
    .join('、');
