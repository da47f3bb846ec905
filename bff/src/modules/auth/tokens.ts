import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { Id } from 'shared';
import { uuidv7 } from 'uuidv7';

const ISSUER = 'linli-bff';
const AUDIENCE = 'linli';

export interface AccessClaims {
  userId: string;
  /** The login (refresh-token family) the token belongs to: revoking it ends the token too. */
  sessionId: string;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** `sessionId` defaults to a session of its own (tokens minted for tests and benchmarks). */
export async function signAccessToken(
  userId: string,
  secret: string,
  ttlSeconds: number,
  sessionId: string = uuidv7(),
): Promise<string> {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

/** Returns undefined for any bad token: expired, forged, wrong audience. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    return payload.sub && Id.safeParse(payload.sub).success && Id.safeParse(payload.sid).success
      ? { userId: payload.sub, sessionId: payload.sid as string }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Refresh tokens are random and opaque; only their hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
