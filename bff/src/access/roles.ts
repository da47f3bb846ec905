import { eq } from 'drizzle-orm';
import type { Role } from 'shared';
import type { DbOrTx } from '../db/client';
import { userRoles } from '../db/schema';

/** Read on every request, never cached in the token: a granted or removed role counts at once. */
export async function rolesOf(db: DbOrTx, userId: string): Promise<Role[]> {
  const rows = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId));
  return rows.map((r) => r.role);
}
