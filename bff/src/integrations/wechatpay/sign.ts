/**
 * The cryptography of WeChat Pay v3, with node:crypto only:
 * - request signatures: SHA256withRSA (PKCS#1 v1.5) over `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` with the
 *   merchant API private key, sent as the `WECHATPAY2-SHA256-RSA2048` Authorization header;
 * - answer and notification signatures: `TIMESTAMP\nNONCE\nBODY\n` under the WeChat Pay public key or a
 *   platform certificate (chosen by `Wechatpay-Serial`);
 * - wx.requestPayment's paySign over `appId\ntimeStamp\nnonceStr\npackage\n`;
 * - AEAD_AES_256_GCM (RFC 5116) of notification resources and downloaded certificates: the key is the
 *   32-byte APIv3 key, the ciphertext is base64(ct || 16-byte tag).
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';

export const SIGNATURE_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const GCM_TAG_BYTES = 16;

export type PrivateKeyInput = string | KeyObject;
export type PublicKeyInput = string | KeyObject;

export function toPrivateKey(key: PrivateKeyInput): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key;
}

/** A public key from a key object, a PUBLIC KEY PEM or a CERTIFICATE PEM (its subject key). */
export function toPublicKey(key: PublicKeyInput): KeyObject {
  if (typeof key !== 'string') return key;
  if (key.includes('BEGIN CERTIFICATE')) return new X509Certificate(key).publicKey;
  return createPublicKey(key);
}

/** SHA256withRSA, base64. */
export function signSha256WithRsa(message: string, privateKey: PrivateKeyInput): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(toPrivateKey(privateKey), 'base64');
}

/** Never throws: a malformed signature is simply not valid. */
export function verifySha256WithRsa(message: string, signature: string, publicKey: PublicKeyInput): boolean {
  try {
    return createVerify('RSA-SHA256')
      .update(message, 'utf8')
      .verify(toPublicKey(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A 32-character nonce of [0-9A-Z], as WeChat's examples use. */
export function nonceStr(length = 32): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`; URL is the path with its query string, BODY '' for GET. */
export function requestMessage(parts: {
  method: string;
  url: string;
  timestamp: string;
  nonce: string;
  body: string;
}): string {
  return `${parts.method.toUpperCase()}\n${parts.url}\n${parts.timestamp}\n${parts.nonce}\n${parts.body}\n`;
}

export interface AuthorizationParts {
  mchid: string;
  nonce: string;
  signature: string;
  timestamp: string;
  serialNo: string;
}

export function buildAuthorization(p: AuthorizationParts): string {
  return (
    `${SIGNATURE_SCHEMA} mchid="${p.mchid}",nonce_str="${p.nonce}",signature="${p.signature}",` +
    `timestamp="${p.timestamp}",serial_no="${p.serialNo}"`
  );
}

/** The Authorization header for one request. */
export function signRequest(input: {
  method: string;
  url: string;
  body: string;
  mchid: string;
  serialNo: string;
  privateKey: PrivateKeyInput;
  timestamp?: string;
  nonce?: string;
}): string {
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? nonceStr();
  const signature = signSha256WithRsa(
    requestMessage({ method: input.method, url: input.url, timestamp, nonce, body: input.body }),
    input.privateKey,
  );
  return buildAuthorization({ mchid: input.mchid, nonce, signature, timestamp, serialNo: input.serialNo });
}

/** The parts of an Authorization header, or null when it is not a WECHATPAY2-SHA256-RSA2048 one. */
export function parseAuthorization(header: string | undefined): AuthorizationParts | null {
  if (!header?.startsWith(`${SIGNATURE_SCHEMA} `)) return null;
  const fields: Record<string, string> = {};
  for (const m of header.slice(SIGNATURE_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g))
    fields[m[1]!] = m[2]!;
  const { mchid, nonce_str: nonce, signature, timestamp, serial_no: serialNo } = fields;
  if (!mchid || !nonce || !signature || !timestamp || !serialNo) return null;
  return { mchid, nonce, signature, timestamp, serialNo };
}

/** `TIMESTAMP\nNONCE\nBODY\n`: what WeChat Pay signs in its answers and notifications. */
export function responseMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function signResponse(
  timestamp: string,
  nonce: string,
  body: string,
  privateKey: PrivateKeyInput,
): string {
  return signSha256WithRsa(responseMessage(timestamp, nonce, body), privateKey);
}

export function verifyResponse(
  input: { timestamp: string; nonce: string; body: string; signature: string },
  publicKey: PublicKeyInput,
): boolean {
  return verifySha256WithRsa(
    responseMessage(input.timestamp, input.nonce, input.body),
    input.signature,
    publicKey,
  );
}

/** paySign of wx.requestPayment (signType RSA): `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function paySignMessage(appId: string, timeStamp: string, nonce: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonce}\n${pkg}\n`;
}

export function signPayment(
  input: { appId: string; timeStamp: string; nonceStr: string; package: string },
  privateKey: PrivateKeyInput,
): string {
  return signSha256WithRsa(
    paySignMessage(input.appId, input.timeStamp, input.nonceStr, input.package),
    privateKey,
  );
}

function aesKey(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  // WeChat's APIv3 key is 32 ASCII characters; anything else is a configuration mistake.
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

/** AEAD_AES_256_GCM encryption: base64(ciphertext || tag). */
export function aeadEncrypt(input: {
  apiV3Key: string;
  nonce: string;
  associatedData: string;
  plaintext: string;
}): string {
  const cipher = createCipheriv('aes-256-gcm', aesKey(input.apiV3Key), Buffer.from(input.nonce, 'utf8'), {
    authTagLength: GCM_TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(input.associatedData, 'utf8'));
  const ct = Buffer.concat([cipher.update(input.plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([ct, cipher.getAuthTag()]).toString('base64');
}

/** AEAD_AES_256_GCM decryption; throws when the tag does not match (wrong key, nonce, data or ciphertext). */
export function aeadDecrypt(input: {
  apiV3Key: string;
  nonce: string;
  associatedData: string;
  ciphertext: string;
}): string {
  const data = Buffer.from(input.ciphertext, 'base64');
  if (data.length <= GCM_TAG_BYTES) throw new Error('AEAD ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', aesKey(input.apiV3Key), Buffer.from(input.nonce, 'utf8'), {
    authTagLength: GCM_TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(input.associatedData, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
  return Buffer.concat([
    decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)),
    decipher.final(),
  ]).toString('utf8');
}

/** A certificate's serial as WeChat writes it (upper-case hex, no leading zero bytes' padding issues). */
export function certificateSerial(pem: string): string {
  return new X509Certificate(pem).serialNumber.toUpperCase();
}
