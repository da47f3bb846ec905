import { LocalDate, MealKind } from 'shared';
import { z } from 'zod';
import { defineJob } from '../../module';

/**
 * One meal's cut-off: make the meal bookings and the canteens' lists. The schedulers fire it
 * with the meal only (the date is the local day it fires on); a run that fires a moment early
 * queues itself again with the date fixed, so it cannot slip into the next day.
 */
export const mealCutoffJob = defineJob({
  queue: 'care',
  name: 'care.mealCutoff',
  payload: z.object({ meal: MealKind, date: LocalDate.optional() }),
});
