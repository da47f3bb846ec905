import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Role } from 'shared';
import type { ChangeFeed } from '../../db/change-feed';
import type { DbOrTx } from '../../db/client';
import { compiledSql } from '../../db/compiled';
import { roleNamesOf } from '../identity';
import { SessionCache } from './session-cache';
import { refreshTokens } from './tables';

/**
 * Roles for a request, and whether its login is still alive, in one statement: a logout or a
 * refresh-token reuse revokes the family, and its access tokens stop working at once instead of
 * living out their 15 minutes. Null when the session was revoked.
 */
export async function loadSessionRoles(
  db: DbOrTx,
  userId: string,
  sessionId: string,
): Promise<Role[] | null> {
  const [row] = await sessionRow(db, { userId, sessionId });
  return row!.revoked ? null : row!.roles;
}

const sessionRow = compiledSql<{ userId: string; sessionId: string }, { roles: Role[]; revoked: boolean }>(
  (db, p) => {
    const revoked = db
      .select({ id: refreshTokens.id })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.familyId, p('sessionId')), isNotNull(refreshTokens.revokedAt)));
    return sql`SELECT array(${roleNamesOf(db, p('userId'))}) AS roles, EXISTS (${revoked}) AS revoked`;
  },
);

const caches = new WeakMap<ChangeFeed, SessionCache>();

/**
 * The check every request makes. With a change feed (every deployment but embedded PGlite) a warm
 * sign-in is answered from this process's cache, which the database empties on any change.
 */
export function sessionRoles(
  deps: { db: DbOrTx; changes?: ChangeFeed },
  userId: string,
  sessionId: string,
  opts: { fresh?: boolean } = {},
): Promise<Role[] | null> {
  const feed = deps.changes;
  if (!feed) return loadSessionRoles(deps.db, userId, sessionId);
  let cache = caches.get(feed);
  if (!cache) {
    cache = new SessionCache(feed);
    caches.set(feed, cache);
  }
  return cache.roles(userId, sessionId, () => loadSessionRoles(deps.db, userId, sessionId), opts.fresh);
}
