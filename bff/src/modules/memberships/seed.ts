import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { DEMO_ACCOUNTS } from '../../demo';
import type { SeedContext } from '../../module';
import { memberships } from './tables';

/** The demo residents are verified members of their households. */
export async function seedMemberships(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    if (a.household === undefined) continue;
    const userId = ctx.ids.get(a.phone)!;
    const householdId = ctx.householdIds[a.household]!;
    const [existing] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.householdId, householdId)));
    if (!existing)
      await tx
        .insert(memberships)
        .values({ userId, householdId, status: 'approved', reviewedAt: ctx.now, reviewNote: '演示数据' });
  }
}
