import { createHash, createHmac, randomBytes, timingSafeEqual, webcrypto } from 'node:crypto';
import { SignJWT } from 'jose';
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
 * The secret as a CryptoKey for signing, imported once per secret (given raw bytes, jose imports
 * a key on every signature it makes).
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
  const payload = verifiedPayload(token, secret, now);
  if (!payload) return undefined;
  const claims = { userId: payload.sub, sessionId: payload.sid };
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.set(token, { claims, secret, expiresAt: payload.exp * 1000 });
  return claims;
}

/**
 * The claims of a compact HS256 token we signed, checked the way jose's jwtVerify checks them
 * (header, signature, issuer, audience, expiry, not-before), or undefined. Checked here with
 * node:crypto's HMAC because WebCrypto's verify (what jose uses) hands every check to the thread
 * pool: on a burst of first requests (checkout, each resident new to the process) it was 6% of the
 * server's CPU, where the synchronous HMAC is a tenth of that. Signing stays with jose.
 */
function verifiedPayload(
  token: string,
  secret: string,
  now: number,
): { sub: string; sid: string; exp: number } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, signature] = parts as [string, string, string];
  const header = jsonSegment(head);
  // Only our own algorithm, and no extension a verifier would have to understand.
  if (!header || header.alg !== 'HS256' || 'crit' in header || 'b64' in header) return undefined;
  const given = base64urlBytes(signature);
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const p = jsonSegment(body);
  if (!p) return undefined;
  const seconds = Math.floor(now / 1000);
  const audience = Array.isArray(p.aud) ? p.aud : [p.aud];
  if (p.iss !== ISSUER || !audience.includes(AUDIENCE)) return undefined;
  // Expiry is required (every token we sign has one); a token is dead at its exp second.
  if (typeof p.exp !== 'number' || !Number.isFinite(p.exp) || p.exp <= seconds) return undefined;
  if (p.nbf !== undefined && (typeof p.nbf !== 'number' || p.nbf > seconds)) return undefined;
  if (p.iat !== undefined && typeof p.iat !== 'number') return undefined;
  if (!Id.safeParse(p.sub).success || !Id.safeParse(p.sid).success) return undefined;
  return { sub: p.sub as string, sid: p.sid as string, exp: p.exp };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url (no padding, no stray characters, canonical last character), or undefined. */
function base64urlBytes(s: string): Buffer | undefined {
  if (!BASE64URL.test(s) || s.length % 4 === 1) return undefined;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : undefined;
}

/** A segment that decodes to a JSON object, or undefined. */
function jsonSegment(s: string): Record<string, unknown> | undefined {
  const bytes = base64urlBytes(s);
  if (!bytes) return undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
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
