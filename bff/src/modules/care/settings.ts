import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { careSettings } from './tables';

export type CareSettingsRow = typeof careSettings.$inferSelect;

/**
 * The subsidised list's one rule: a recorded age at or over the community's minimum (no birth
 * date, no subsidy). Bookings, the catalogue, meals and the monthly allotment all ask it.
 */
export const meetsAge = (age: number | null, rules: Pick<CareSettingsRow, 'minAge'>): boolean =>
  age !== null && age >= rules.minAge;

/** A community's care rules; a community nobody configured gets the defaults of the programme. */
export async function careSettingsOf(db: DbOrTx, communityId: string): Promise<CareSettingsRow> {
  const [row] = await db.select().from(careSettings).where(eq(careSettings.communityId, communityId));
  return (
    row ?? {
      communityId,
      minAge: 80,
      monthlyVoucherFen: 20_000,
      voucherCapPercent: 50,
      freeCancelHours: 24,
      confirmWithinMin: 120,
      payWithinMin: 30,
    }
  );
}
