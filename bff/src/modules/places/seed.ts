import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { DEMO_ACCOUNTS, DEMO_BUILDINGS, DEMO_COMMUNITY, DEMO_COMPOUNDS, DEMO_UNITS } from '../../demo';
import type { SeedContext } from '../../module';
import { buildings, communities, compounds, households, staffCommunities } from './tables';

async function upsertId<T extends { id: string }>(
  find: () => Promise<T[]>,
  insert: () => Promise<T[]>,
): Promise<string> {
  const [found] = await find();
  if (found) return found.id;
  const [made] = await insert();
  return made!.id;
}

/** The demo community down to its households, and the staff who run it. */
export async function seedPlaces(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  ctx.communityId = await upsertId(
    () => tx.select({ id: communities.id }).from(communities).where(eq(communities.name, DEMO_COMMUNITY)),
    () =>
      tx
        .insert(communities)
        .values({ name: DEMO_COMMUNITY, city: '成都市' })
        .returning({ id: communities.id }),
  );
  for (const c of DEMO_COMPOUNDS) {
    const [compound] = await tx
      .insert(compounds)
      .values({ communityId: ctx.communityId, name: c.name, lat: c.lat, lng: c.lng })
      .onConflictDoUpdate({
        target: [compounds.communityId, compounds.name],
        set: { lat: c.lat, lng: c.lng },
      })
      .returning({ id: compounds.id });
    const compoundId = compound!.id;
    for (const buildingName of DEMO_BUILDINGS) {
      const buildingId = await upsertId(
        () =>
          tx
            .select({ id: buildings.id })
            .from(buildings)
            .where(and(eq(buildings.compoundId, compoundId), eq(buildings.name, buildingName))),
        () => tx.insert(buildings).values({ compoundId, name: buildingName }).returning({ id: buildings.id }),
      );
      for (const unit of DEMO_UNITS)
        ctx.householdIds.push(
          await upsertId(
            () =>
              tx
                .select({ id: households.id })
                .from(households)
                .where(and(eq(households.buildingId, buildingId), eq(households.unit, unit))),
            () => tx.insert(households).values({ buildingId, unit }).returning({ id: households.id }),
          ),
        );
    }
  }
  for (const a of DEMO_ACCOUNTS)
    if (a.roles.includes('staff'))
      await tx
        .insert(staffCommunities)
        .values({ userId: ctx.ids.get(a.phone)!, communityId: ctx.communityId })
        .onConflictDoNothing();
}
