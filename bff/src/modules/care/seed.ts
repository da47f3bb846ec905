import { eq } from 'drizzle-orm';
import { localMonth } from 'shared';
import type { DbOrTx } from '../../db/client';
import {
  DEMO_ACCOUNTS,
  DEMO_CARE_CATALOG,
  DEMO_CARE_PROVIDERS,
  DEMO_CARE_SETTINGS,
  DEMO_CAREGIVER_HOURS,
  DEMO_ELDER_PROFILES,
} from '../../demo';
import type { SeedContext } from '../../module';
import { compoundsOf } from '../places';
import { elderContext } from './elders';
import { minutesOf } from './providers';
import { careSettingsOf } from './settings';
import {
  careCategories,
  caregiverCompounds,
  caregiverHours,
  caregivers,
  careItems,
  careProviders,
  careSettings,
  elderProfiles,
} from './tables';
import { grantMonthly } from './vouchers';

/**
 * The demo home-care programme. Idempotent, and what staff, providers or elders changed since
 * stays as it is: existing items, settings, caregivers and profiles are left alone; a provider's
 * descriptive fields are refreshed but never its status.
 */
export async function seedCare(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  const staffId = ctx.ids.get('13800000001')!;

  for (const [sort, cat] of DEMO_CARE_CATALOG.entries()) {
    await tx.insert(careCategories).values({ code: cat.code, name: cat.name, sort }).onConflictDoNothing();
    const [row] = await tx
      .select({ id: careCategories.id })
      .from(careCategories)
      .where(eq(careCategories.code, cat.code));
    for (const [itemSort, item] of cat.items.entries())
      await tx
        .insert(careItems)
        .values({ ...item, categoryId: row!.id, sort: itemSort, updatedAt: ctx.now })
        .onConflictDoNothing();
  }

  await tx
    .insert(careSettings)
    .values({ communityId: ctx.communityId, ...DEMO_CARE_SETTINGS })
    .onConflictDoNothing();

  const compoundIds = (await compoundsOf(tx, ctx.communityId)).map((c) => c.id);
  const hours = DEMO_CAREGIVER_HOURS.map((h) => ({
    weekday: h.weekday,
    startMin: minutesOf(h.start),
    endMin: minutesOf(h.end),
  }));
  for (const p of DEMO_CARE_PROVIDERS) {
    const profile = {
      communityId: ctx.communityId,
      name: p.name,
      licenseNo: p.licenseNo,
      contactPhone: p.contactPhone,
      description: p.description,
      servesMeals: p.servesMeals,
    };
    const [provider] = await tx
      .insert(careProviders)
      .values({
        ...profile,
        ownerId: ctx.ids.get(p.ownerPhone)!,
        status: 'verified',
        reviewedBy: staffId,
        reviewedAt: ctx.now,
        reviewNote: '演示数据',
      })
      .onConflictDoUpdate({ target: careProviders.ownerId, set: profile })
      .returning({ id: careProviders.id });
    for (const c of p.caregivers) {
      const userId = ctx.ids.get(c.phone)!;
      const name = DEMO_ACCOUNTS.find((a) => a.phone === c.phone)!.name;
      const [made] = await tx
        .insert(caregivers)
        .values({ userId, providerId: provider!.id, name, certifications: c.certifications })
        .onConflictDoNothing()
        .returning({ id: caregivers.id });
      // A caregiver seeded before keeps the hours and compounds their provider has set since.
      if (!made) continue;
      await tx.insert(caregiverHours).values(hours.map((h) => ({ caregiverId: made.id, ...h })));
      await tx
        .insert(caregiverCompounds)
        .values(compoundIds.map((compoundId) => ({ caregiverId: made.id, compoundId })));
    }
  }

  for (const e of DEMO_ELDER_PROFILES)
    await tx
      .insert(elderProfiles)
      .values({
        userId: ctx.ids.get(e.phone)!,
        householdId: ctx.householdIds[e.household]!,
        healthNotes: e.healthNotes,
        emergencyContacts: e.emergencyContacts,
        livesAlone: e.livesAlone,
        dietaryNotes: e.dietaryNotes,
      })
      .onConflictDoNothing();

  // This month's vouchers, as the monthly job would have granted them (once per elder and month).
  const settings = await careSettingsOf(tx, ctx.communityId);
  const month = localMonth(ctx.now);
  for (const a of DEMO_ACCOUNTS) {
    if (!a.birthDate) continue;
    const elder = await elderContext(tx, ctx.ids.get(a.phone)!, ctx.now);
    if (elder?.communityId === ctx.communityId && elder.age !== null && elder.age >= settings.minAge)
      await grantMonthly(tx, elder.elderId, month, settings.monthlyVoucherFen);
  }
}
