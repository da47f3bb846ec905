import type { DbOrTx } from '../../db/client';
import { DEMO_VOLUNTEERS } from '../../demo';
import type { SeedContext } from '../../module';
import { grantRole } from '../identity';
import { householdPlaces } from '../places';
import { volunteers } from './tables';

/**
 * The demo volunteers, verified by the demo staff member. Idempotent: a volunteer who exists is
 * left as they are (their duty switch, pause or suspension stay).
 */
export async function seedVolunteers(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const staffId = ctx.ids.get('13800000001')!;
  const places = await householdPlaces(tx, ctx.householdIds);
  for (const v of DEMO_VOLUNTEERS) {
    const userId = ctx.ids.get(v.phone)!;
    const place = places.get(ctx.householdIds[v.household]!)!;
    await tx
      .insert(volunteers)
      .values({
        userId,
        communityId: ctx.communityId,
        compoundId: place.compoundId,
        realName: v.realName,
        idTail: v.idTail,
        skills: v.skills,
        availability: v.availability,
        weeklyCapMin: v.weeklyCapMin,
        status: 'verified',
        reviewedBy: staffId,
        reviewedAt: ctx.now,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing();
    await grantRole(tx, userId, 'volunteer');
  }
}
