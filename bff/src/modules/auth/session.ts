import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Role } from 'shared';
import type { DbOrTx } from '../../db/client';
import { roleNamesOf } from '../identity';
import { refreshTokens } from './tables';

/**
 * Roles for a request, and whether its login is still alive, in one statement (it runs on every
 * request): a logout or a refresh-token reuse revokes the family, and its access tokens stop
 * working at once instead of living out their 15 minutes. Null when the session was revoked.
 */
export async function sessionRoles(db: DbOrTx, userId: string, sessionId: string): Promise<Role[] | null> {
  const revoked = db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.familyId, sessionId), isNotNull(refreshTokens.revokedAt)));
  const [row] = (await db.execute(
    sql`SELECT array(${roleNamesOf(db, userId)}) AS roles, EXISTS (${revoked}) AS revoked`,
  )) as unknown as { roles: Role[]; revoked: boolean }[];
  return row!.revoked ? null : row!.roles;
}
