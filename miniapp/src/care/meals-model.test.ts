import { describe, expect, it } from 'vitest';
import { mealsText, skipTomorrowState, tomorrowToSkip, type UpcomingMeal } from './meals-model';

const meal = (date: string, kind: 'lunch' | 'dinner', over: Partial<UpcomingMeal> = {}): UpcomingMeal => ({
  date,
  meal: kind,
  cutoffAt: `${date}T01:00:00Z`,
  skipped: false,
  open: true,
  ...over,
});

describe('明天不用餐', () => {
  const today = '2026-06-01';

  it("skips only tomorrow's open meals that are not skipped yet", () => {
    const upcoming = [
      meal('2026-06-01', 'dinner'),
      meal('2026-06-02', 'lunch'),
      meal('2026-06-02', 'dinner', { skipped: true }),
      meal('2026-06-03', 'lunch'),
    ];
    expect(tomorrowToSkip(upcoming, today).map((m) => `${m.date} ${m.meal}`)).toEqual(['2026-06-02 lunch']);
    expect(skipTomorrowState(upcoming, today)).toEqual({ enabled: true, text: '明天不用餐' });
  });

  it('says why there is nothing to skip', () => {
    expect(skipTomorrowState([meal('2026-06-03', 'lunch')], today)).toEqual({
      enabled: false,
      text: '明天没有订餐',
    });
    expect(skipTomorrowState([meal('2026-06-02', 'lunch', { skipped: true })], today).text).toBe(
      '明天已设为不用餐',
    );
    expect(skipTomorrowState([meal('2026-06-02', 'lunch', { open: false })], today).text).toBe(
      '明天的餐已截单，无法取消',
    );
  });

  it('names the meals in the order of the day', () => {
    expect(mealsText(['dinner', 'lunch'])).toBe('午餐、晚餐');
  });
});
