import { eq, sql } from 'drizzle-orm';
import type { Role } from 'shared';
import type { DbOrTx } from '../db/client';
import { userRoles } from '../db/schema';

/** Read on every request, never cached in the token: a granted or removed role counts at once. */
export async function rolesOf(db: DbOrTx, userId: string): Promise<Role[]> {
  const rows = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId));
  return rows.map((r) => r.role);
}

/**
 * Roles for a request, and whether its login is still alive, in one round trip: a logout or a
 * refresh-token reuse revokes the family, and its access tokens stop working at once instead of
 * living out their 15 minutes. Null when the session was revoked.
 */
export async function sessionRoles(db: DbOrTx, userId: string, sessionId: string): Promise<Role[] | null> {
  const [row] = (await db.execute(sql`
    SELECT
      (SELECT coalesce(array_agg(role::text ORDER BY role), '{}') FROM user_roles WHERE user_id = ${userId}) AS roles,
      EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = ${sessionId} AND revoked_at IS NOT NULL) AS revoked
  `)) as unknown as { roles: Role[]; revoked: boolean }[];
  return row!.revoked ? null : row!.roles;
}
