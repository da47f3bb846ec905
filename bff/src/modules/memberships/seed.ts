import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { DEMO_ACCOUNTS } from '../../demo';
import type { SeedContext } from '../../module';
import { memberships } from './tables';

/**
 * The demo residents are verified members of their households, and have been for a year: they are
 * established neighbours, not newcomers (the neighbors module limits members of less than a week).
 */
const MEMBER_FOR_MS = 365 * 24 * 3600 * 1000;
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
      await tx.insert(memberships).values({
        userId,
        householdId,
        status: 'approved',
        createdAt: new Date(ctx.now.getTime() - MEMBER_FOR_MS),
        reviewedAt: new Date(ctx.now.getTime() - MEMBER_FOR_MS),
        reviewNote: '演示数据',
      });
  }
}
