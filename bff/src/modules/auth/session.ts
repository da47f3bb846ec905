import { and, eq, isNotNull } from 'drizzle-orm';
import type { Role } from 'shared';
import type { DbOrTx } from '../../db/client';
import { rolesOf } from '../identity';
import { refreshTokens } from './tables';

/**
 * Roles for a request, and whether its login is still alive: a logout or a refresh-token reuse
 * revokes the family, and its access tokens stop working at once instead of living out their 15
 * minutes. The two reads run side by side. Null when the session was revoked.
 */
export async function sessionRoles(db: DbOrTx, userId: string, sessionId: string): Promise<Role[] | null> {
  const [roles, revoked] = await Promise.all([
    rolesOf(db, userId),
    db
      .select({ id: refreshTokens.id })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.familyId, sessionId), isNotNull(refreshTokens.revokedAt)))
      .limit(1),
  ]);
  return revoked.length > 0 ? null : roles;
}
