import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from './tokens';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hmac = (input: string, secret = SECRET) =>
  createHmac('sha256', secret).update(input).digest('base64url');

/** A token with exactly the header and claims given, signed with `secret`. */
function handMade(header: Record<string, unknown>, claims: Record<string, unknown>, secret = SECRET) {
  const signing = `${b64(header)}.${b64(claims)}`;
  return `${signing}.${hmac(signing, secret)}`;
}

const now = () => Math.floor(Date.now() / 1000);
const good = () => ({
  sub: uuidv7(),
  sid: uuidv7(),
  iss: 'linli-bff',
  aud: 'linli',
  iat: now(),
  exp: now() + 600,
});

describe('access tokens', () => {
  it('a token we signed verifies to its user and sign-in', async () => {
    const userId = uuidv7();
    const sessionId = uuidv7();
    const token = await signAccessToken(userId, SECRET, 600, sessionId);
    expect(await verifyAccessToken(token, SECRET)).toEqual({ userId, sessionId });
    // The second check answers from the process's memory of the signature, and agrees.
    expect(await verifyAccessToken(token, SECRET)).toEqual({ userId, sessionId });
  });

  it('a hand-made token with our claims verifies (the check is not tied to jose’s encoding)', async () => {
    const c = good();
    expect(await verifyAccessToken(handMade({ alg: 'HS256', typ: 'JWT' }, c), SECRET)).toEqual({
      userId: c.sub,
      sessionId: c.sid,
    });
    expect(
      await verifyAccessToken(handMade({ alg: 'HS256' }, { ...c, aud: ['other', 'linli'] }), SECRET),
    ).toEqual({
      userId: c.sub,
      sessionId: c.sid,
    });
  });

  it('refuses another secret, a changed payload, and a changed signature', async () => {
    const token = await signAccessToken(uuidv7(), SECRET, 600);
    expect(await verifyAccessToken(token, `${SECRET}x`)).toBeUndefined();
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const otherUser = b64({ ...claims, sub: uuidv7() });
    expect(await verifyAccessToken(`${h}.${otherUser}.${s}`, SECRET)).toBeUndefined();
    const flipped = `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
    expect(await verifyAccessToken(`${h}.${p}.${flipped}`, SECRET)).toBeUndefined();
    // The same signature bytes spelled another way (a non-canonical last character) are refused.
    const last = s.at(-1)!;
    const alias = `${s.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}`;
    expect(Buffer.from(alias, 'base64url').equals(Buffer.from(s, 'base64url'))).toBe(true);
    expect(await verifyAccessToken(`${h}.${p}.${alias}`, SECRET)).toBeUndefined();
    expect(await verifyAccessToken(`${h}.${p}.${s}=`, SECRET)).toBeUndefined();
  });

  it('refuses any other algorithm or an extension it does not know', async () => {
    const c = good();
    const signing = `${b64({ alg: 'none' })}.${b64(c)}`;
    expect(await verifyAccessToken(`${signing}.`, SECRET)).toBeUndefined();
    expect(await verifyAccessToken(`${signing}.${hmac(signing)}`, SECRET)).toBeUndefined();
    expect(await verifyAccessToken(handMade({ alg: 'HS512' }, c), SECRET)).toBeUndefined();
    expect(await verifyAccessToken(handMade({ alg: 'hs256' }, c), SECRET)).toBeUndefined();
    expect(await verifyAccessToken(handMade({ alg: 'HS256', crit: ['exp'] }, c), SECRET)).toBeUndefined();
    expect(await verifyAccessToken(handMade({ alg: 'HS256', b64: false }, c), SECRET)).toBeUndefined();
    // jose refuses the same (both checkers agree on what a good token is).
    const jose = await new SignJWT(c)
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyAccessToken(jose, SECRET)).toBeUndefined();
  });

  it('refuses the wrong issuer or audience, an expired token, one not yet valid, and odd claims', async () => {
    const c = good();
    const h = { alg: 'HS256' };
    for (const claims of [
      { ...c, iss: 'someone-else' },
      { ...c, aud: 'elsewhere' },
      { ...c, aud: ['elsewhere'] },
      { ...c, exp: now() },
      { ...c, exp: now() - 1 },
      { ...c, exp: undefined },
      { ...c, exp: String(now() + 600) },
      { ...c, nbf: now() + 60 },
      { ...c, nbf: 'soon' },
      { ...c, iat: 'today' },
      { ...c, sub: 'not-an-id' },
      { ...c, sub: undefined },
      { ...c, sid: 42 },
    ])
      expect(await verifyAccessToken(handMade(h, claims), SECRET), JSON.stringify(claims)).toBeUndefined();
    // Not yet valid, then valid: nbf in the past is fine.
    expect(await verifyAccessToken(handMade(h, { ...c, nbf: now() - 5 }), SECRET)).toBeDefined();
  });

  it('refuses what is not a token at all', async () => {
    const c = good();
    const valid = handMade({ alg: 'HS256' }, c);
    for (const bad of [
      '',
      'a.b.c',
      'a.b',
      `${valid}.x`,
      `${valid.split('.')[0]}..${valid.split('.')[2]}`,
      // Not JSON, JSON that is not an object, and bytes that are not UTF-8, each signed.
      ...['not json', '[1,2]', 'null'].map((text) => {
        const signing = `${b64({ alg: 'HS256' })}.${Buffer.from(text).toString('base64url')}`;
        return `${signing}.${hmac(signing)}`;
      }),
      (() => {
        const signing = `${b64({ alg: 'HS256' })}.${Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url')}`;
        return `${signing}.${hmac(signing)}`;
      })(),
      (() => {
        const signing = `${Buffer.from('{"alg":"HS256"').toString('base64url')}.${b64(c)}`;
        return `${signing}.${hmac(signing)}`;
      })(),
    ])
      expect(await verifyAccessToken(bad, SECRET), bad).toBeUndefined();
  });
});
