import { and, eq, isNull } from 'drizzle-orm';
import type { TokenPair } from 'shared';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/client';
import { refreshTokens, users, wechatSessions } from '../../db/schema';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/errors';
import { WechatError, wechatErrorToHttp } from '../../integrations/wechat/client';
import { hashRefreshToken, newRefreshToken, signAccessToken } from './tokens';

type AuthDeps = Pick<AppDeps, 'db' | 'config' | 'wechat'>;

async function issueTokens(deps: AuthDeps, userId: string, familyId: string = uuidv7()): Promise<TokenPair> {
  const { token, hash } = newRefreshToken();
  const ttlMs = deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000;
  await deps.db
    .insert(refreshTokens)
    .values({ userId, familyId, tokenHash: hash, expiresAt: new Date(Date.now() + ttlMs) });
  return {
    accessToken: await signAccessToken(
      userId,
      deps.config.JWT_SECRET,
      deps.config.ACCESS_TOKEN_TTL_SECONDS,
      familyId,
    ),
    expiresIn: deps.config.ACCESS_TOKEN_TTL_SECONDS,
    refreshToken: token,
    userId,
  };
}

/** WeChat login: our own tokens out, WeChat's session_key kept on the server. */
export async function wechatLogin(deps: AuthDeps, code: string): Promise<TokenPair> {
  const session = await deps.wechat.code2Session(code).catch((err) => {
    if (!(err instanceof WechatError)) throw err;
    const http = wechatErrorToHttp(err);
    throw new AppError(http.status, http.code, http.message);
  });
  const userId = await deps.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ openid: session.openid, unionid: session.unionid ?? null })
      .onConflictDoUpdate({
        target: users.openid,
        set: { unionid: session.unionid ?? null, updatedAt: new Date() },
      })
      .returning({ id: users.id });
    await tx
      .insert(wechatSessions)
      .values({ userId: user!.id, sessionKey: session.sessionKey })
      .onConflictDoUpdate({
        target: wechatSessions.userId,
        set: { sessionKey: session.sessionKey, updatedAt: new Date() },
      });
    return user!.id;
  });
  return issueTokens(deps, userId);
}

/** Development and tests only: sign in as whoever owns a phone number (created if new). */
export async function devLogin(deps: AuthDeps, phone: string): Promise<TokenPair> {
  const [user] = await deps.db
    .insert(users)
    .values({ phone })
    .onConflictDoUpdate({ target: users.phone, set: { updatedAt: new Date() } })
    .returning({ id: users.id });
  return issueTokens(deps, user!.id);
}

const invalidRefresh = () => new AppError(401, 'REFRESH_INVALID', 'Your session has ended, sign in again');

/**
 * Rotation: each refresh token works once. Presenting one that was already used means it leaked
 * (or was replayed), so the whole login family is revoked.
 */
export async function refresh(deps: AuthDeps, token: string): Promise<TokenPair> {
  const hash = hashRefreshToken(token);
  const [claimed] = await deps.db
    .update(refreshTokens)
    .set({ usedAt: new Date() })
    .where(
      and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)),
    )
    .returning();
  if (!claimed) {
    const [seen] = await deps.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hash));
    if (seen) await revokeFamily(deps.db, seen.familyId);
    throw invalidRefresh();
  }
  if (claimed.expiresAt.getTime() < Date.now()) throw invalidRefresh();
  return issueTokens(deps, claimed.userId, claimed.familyId);
}

export async function logout(deps: AuthDeps, userId: string, token: string): Promise<void> {
  const [row] = await deps.db
    .select()
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tokenHash, hashRefreshToken(token)), eq(refreshTokens.userId, userId)));
  if (row) await revokeFamily(deps.db, row.familyId);
}

async function revokeFamily(db: Db, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}
