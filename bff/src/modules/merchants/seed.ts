import type { DbOrTx } from '../../db/client';
import { DEMO_MERCHANTS } from '../../demo';
import type { SeedContext } from '../../module';
import { merchantCommunities, merchants } from './tables';

/** The demo shops, verified and serving the demo community (a paused one stays paused). */
export async function seedMerchants(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const staffId = ctx.ids.get('13800000001')!;
  for (const m of DEMO_MERCHANTS) {
    const profile = {
      name: m.name,
      category: m.category,
      description: m.description,
      contactPhone: m.contactPhone,
      address: m.address,
      lat: m.lat,
      lng: m.lng,
      hours: m.hours,
      offersShopPickup: m.offersShopPickup,
      homeRadiusM: m.homeRadiusM,
      homeFeeFen: m.homeFeeFen,
      offersLocker: m.offersLocker,
      minOrderFen: m.minOrderFen,
    };
    const [merchant] = await tx
      .insert(merchants)
      .values({
        ...profile,
        ownerId: ctx.ids.get(m.ownerPhone)!,
        status: 'open',
        verifiedBy: staffId,
        verifiedAt: ctx.now,
      })
      // Descriptive fields only: a shop a test or the owner paused stays paused.
      .onConflictDoUpdate({ target: merchants.ownerId, set: profile })
      .returning({ id: merchants.id });
    await tx
      .insert(merchantCommunities)
      .values({ merchantId: merchant!.id, communityId: ctx.communityId })
      .onConflictDoNothing();
  }
}
