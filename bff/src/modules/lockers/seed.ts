import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { defaultReachableRows } from 'shared';
import type { DbOrTx } from '../../db/client';
import { DEMO_LOCKER_LAYOUT, DEMO_WINDOWS } from '../../demo';
import type { SeedContext } from '../../module';
import { compoundsByIds, compoundsOf } from '../places';
import { compartments, courierCommunities, deliverySchedules, lockerBanks } from './tables';

/** The demo banks stand five rows high; each kind of compartment is spread over all five. */
const DEMO_ROWS = 5;
const demoRow = (group: number, i: number) => 1 + ((group + i) % DEMO_ROWS);
const DEMO_REACH = defaultReachableRows(DEMO_ROWS);

/** A locker bank per compound, the community's two daily windows, and its courier. */
export async function seedLockers(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const ids = (await compoundsOf(tx, ctx.communityId)).map((c) => c.id);
  const cs = [...(await compoundsByIds(tx, ids)).values()];
  for (const c of cs) {
    const name = `${c.name}生鲜柜`;
    const [found] = await tx
      .select({ id: lockerBanks.id })
      .from(lockerBanks)
      .where(and(eq(lockerBanks.compoundId, c.id), eq(lockerBanks.name, name)));
    if (found) continue;
    const [bank] = await tx
      .insert(lockerBanks)
      .values({
        compoundId: c.id,
        name,
        location: `${c.name}北门快递驿站旁`,
        deviceSecret: randomBytes(32).toString('hex'),
        reachableFromRow: DEMO_REACH.from,
        reachableToRow: DEMO_REACH.to,
      })
      .returning({ id: lockerBanks.id });
    await tx.insert(compartments).values(
      DEMO_LOCKER_LAYOUT.flatMap((g, gi) =>
        Array.from({ length: g.count }, (_, i) => ({
          bankId: bank!.id,
          label: `${'ABCDEFGH'[gi]}${String(i + 1).padStart(2, '0')}`,
          size: g.size,
          zone: g.zone,
          row: demoRow(gi, i),
        })),
      ),
    );
  }
  const existing = await tx
    .select()
    .from(deliverySchedules)
    .where(eq(deliverySchedules.communityId, ctx.communityId));
  for (const w of DEMO_WINDOWS)
    if (!existing.some((e) => e.cutoffLocal === w.cutoffLocal))
      await tx
        .insert(deliverySchedules)
        .values({ communityId: ctx.communityId, ...w, weekdays: [1, 2, 3, 4, 5, 6, 7] });
  await tx
    .insert(courierCommunities)
    .values({ userId: ctx.ids.get('13800000003')!, communityId: ctx.communityId })
    .onConflictDoNothing();
}
