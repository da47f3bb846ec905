import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { careSettings } from './tables';

export type CareSettingsRow = typeof careSettings.$inferSelect;

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
    }
  );
}
