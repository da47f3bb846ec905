import { createHash, randomBytes, webcrypto } from 'node:crypto';
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

/**
 * The secret as a CryptoKey, imported once per secret: given raw bytes, jose imports a key on
 * every signature it checks, a visible share of an authenticated request's CPU.
 */
const key = (secret: string): Promise<webcrypto.CryptoKey> => {
  let k = keys.get(secret);
  if (!k) {
    k = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    if (keys.size >= 8) keys.clear();
    keys.set(secret, k);
  }
  return k;
};
const keys = new Map<string, Promise<webcrypto.CryptoKey>>();

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
    .sign(await key(secret));
}

/** Returns undefined for any bad token: expired, forged, wrong audience. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | undefined> {
  const now = Date.now();
  const seen = verified.get(token);
  if (seen && seen.secret === secret) {
    if (seen.expiresAt > now) return seen.claims;
    verified.delete(token);
  }
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (!payload.sub || !Id.safeParse(payload.sub).success || !Id.safeParse(payload.sid).success)
      return undefined;
    const claims = { userId: payload.sub, sessionId: payload.sid as string };
    if (payload.exp) {
      if (verified.size >= VERIFIED_MAX) verified.clear();
      verified.set(token, { claims, secret, expiresAt: payload.exp * 1000 });
    }
    return claims;
  } catch {
    return undefined;
  }
}

/**
 * Tokens whose signature this process has checked, until they expire. Only the signature check is
 * remembered (the same bytes verify the same way); whether the sign-in is still alive is asked
 * of the session check on every request.
 */
const verified = new Map<string, { claims: AccessClaims; secret: string; expiresAt: number }>();
const VERIFIED_MAX = 20_000;

/** Refresh tokens are random and opaque; only their hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
