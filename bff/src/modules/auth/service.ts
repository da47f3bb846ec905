import { and, eq, isNull } from 'drizzle-orm';
import type { TokenPair } from 'shared';
import { uuidv7 } from 'uuidv7';
import { CHANNELS } from '../../db/change-feed';
import type { AppDeps } from '../../deps';
import { AppError } from '../../http/errors';
import { WechatError, wechatErrorToHttp } from '../../integrations/wechat/client';
import { upsertByOpenid, upsertByPhone } from '../identity';
import { refreshTokens, wechatSessions } from './tables';
import { hashRefreshToken, newRefreshToken, signAccessToken } from './tokens';

type AuthDeps = Pick<AppDeps, 'db' | 'config' | 'wechat' | 'clock' | 'changes'>;

async function issueTokens(deps: AuthDeps, userId: string, familyId: string = uuidv7()): Promise<TokenPair> {
  const { token, hash } = newRefreshToken();
  const ttlMs = deps.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000;
  await deps.db
    .insert(refreshTokens)
    .values({ userId, familyId, tokenHash: hash, expiresAt: new Date(deps.clock.now().getTime() + ttlMs) });
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
    const id = await upsertByOpenid(
      tx,
      { openid: session.openid, unionid: session.unionid ?? null },
      deps.clock.now(),
    );
    await tx
      .insert(wechatSessions)
      .values({ userId: id, sessionKey: session.sessionKey })
      .onConflictDoUpdate({
        target: wechatSessions.userId,
        set: { sessionKey: session.sessionKey, updatedAt: deps.clock.now() },
      });
    return id;
  });
  return issueTokens(deps, userId);
}

/** Development and tests only: sign in as whoever owns a phone number (created if new). */
export async function devLogin(deps: AuthDeps, phone: string): Promise<TokenPair> {
  return issueTokens(deps, await upsertByPhone(deps.db, phone, deps.clock.now()));
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
    .set({ usedAt: deps.clock.now() })
    .where(
      and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)),
    )
    .returning();
  if (!claimed) {
    const [seen] = await deps.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hash));
    if (seen) await revokeFamily(deps, seen.familyId);
    throw invalidRefresh();
  }
  if (claimed.expiresAt.getTime() < deps.clock.now().getTime()) throw invalidRefresh();
  return issueTokens(deps, claimed.userId, claimed.familyId);
}

export async function logout(deps: AuthDeps, userId: string, token: string): Promise<void> {
  const [row] = await deps.db
    .select()
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tokenHash, hashRefreshToken(token)), eq(refreshTokens.userId, userId)));
  if (row) await revokeFamily(deps, row.familyId);
}

async function revokeFamily(
  deps: Pick<AuthDeps, 'db' | 'clock' | 'changes'>,
  familyId: string,
): Promise<void> {
  await deps.db
    .update(refreshTokens)
    .set({ revokedAt: deps.clock.now() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  // The database tells every process; this one is told now, before the logout answers, so the
  // token it ended cannot slip through on the next request while the notice is on its way.
  deps.changes?.announce(CHANNELS.auth, `s:${familyId}`);
}
