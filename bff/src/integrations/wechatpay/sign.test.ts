import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GO_PRIVATE_KEY,
  GO_SIGNATURE_OF_SOURCE,
  JAVA_AEAD,
  JAVA_API_V3_KEY,
  JAVA_DOWNLOADED_CERTIFICATE,
  JAVA_MERCHANT_CERTIFICATE,
  JAVA_MERCHANT_CERTIFICATE_SERIAL,
  JAVA_MERCHANT_PRIVATE_KEY,
  JAVA_SIGNATURE_OF_MESSAGE,
} from './fixtures/published-vectors';
import { loadPem } from './keys';
import {
  aeadDecrypt,
  aeadEncrypt,
  buildAuthorization,
  certificateSerial,
  parseAuthorization,
  paySignMessage,
  requestMessage,
  signPayment,
  signRequest,
  signResponse,
  signSha256WithRsa,
  verifyResponse,
  verifySha256WithRsa,
} from './sign';

describe('published v3 SDK vectors', () => {
  it('SHA256withRSA("source") with wechatpay-go\'s test key gives its expected signature', () => {
    expect(signSha256WithRsa('source', GO_PRIVATE_KEY)).toBe(GO_SIGNATURE_OF_SOURCE);
  });

  it('SHA256withRSA("message") with wechatpay-java\'s merchant key gives its signature, which verifies with the certificate', () => {
    expect(signSha256WithRsa('message', JAVA_MERCHANT_PRIVATE_KEY)).toBe(JAVA_SIGNATURE_OF_MESSAGE);
    expect(verifySha256WithRsa('message', JAVA_SIGNATURE_OF_MESSAGE, JAVA_MERCHANT_CERTIFICATE)).toBe(true);
    expect(verifySha256WithRsa('messagf', JAVA_SIGNATURE_OF_MESSAGE, JAVA_MERCHANT_CERTIFICATE)).toBe(false);
    expect(certificateSerial(JAVA_MERCHANT_CERTIFICATE)).toBe(JAVA_MERCHANT_CERTIFICATE_SERIAL);
  });

  it("AEAD_AES_256_GCM encrypts and decrypts wechatpay-java's vector", () => {
    const { plaintext, associatedData, nonce, ciphertext } = JAVA_AEAD;
    expect(aeadEncrypt({ apiV3Key: JAVA_API_V3_KEY, nonce, associatedData, plaintext })).toBe(ciphertext);
    expect(aeadDecrypt({ apiV3Key: JAVA_API_V3_KEY, nonce, associatedData, ciphertext })).toBe(plaintext);
  });

  it("decrypts wechatpay-java's GET /v3/certificates answer to the certificate with the announced serial", () => {
    const { serialNo, ...enc } = JAVA_DOWNLOADED_CERTIFICATE;
    const pem = aeadDecrypt({ apiV3Key: JAVA_API_V3_KEY, ...enc });
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    expect(new X509Certificate(pem).serialNumber).toBe(serialNo);
  });
});

describe('AEAD_AES_256_GCM', () => {
  const base = { apiV3Key: JAVA_API_V3_KEY, nonce: 'abcdefghijkl', associatedData: 'transaction' };
  const ciphertext = aeadEncrypt({ ...base, plaintext: '{"out_trade_no":"T1"}' });

  it('is ciphertext || 16-byte tag, base64', () => {
    expect(Buffer.from(ciphertext, 'base64').length).toBe('{"out_trade_no":"T1"}'.length + 16);
  });

  it.each([
    ['a wrong key', { apiV3Key: 'b7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb' }],
    ['a wrong nonce', { nonce: 'abcdefghijkm' }],
    ['wrong associated data', { associatedData: 'refund' }],
    ['a flipped ciphertext bit', { ciphertext: flip(ciphertext, 0) }],
    ['a flipped tag bit', { ciphertext: flip(ciphertext, Buffer.from(ciphertext, 'base64').length - 1) }],
    ['a truncated ciphertext', { ciphertext: Buffer.alloc(16).toString('base64') }],
  ])('refuses %s', (_, over) => {
    expect(() => aeadDecrypt({ ...base, ciphertext, ...over })).toThrow();
  });

  it('refuses an APIv3 key that is not 32 bytes', () => {
    expect(() => aeadEncrypt({ ...base, apiV3Key: 'testAPIv3Key0000', plaintext: 'x' })).toThrow(/32 bytes/);
  });
});

function flip(b64: string, at: number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64');
}

describe('request signatures', () => {
  it('signs METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n into the WECHATPAY2-SHA256-RSA2048 header', () => {
    const body = '{"mchid":"1900000109"}';
    const header = signRequest({
      method: 'post',
      url: '/v3/pay/transactions/out-trade-no/T123456/close',
      body,
      mchid: '1900000109',
      serialNo: JAVA_MERCHANT_CERTIFICATE_SERIAL,
      privateKey: JAVA_MERCHANT_PRIVATE_KEY,
      timestamp: '1554208460',
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    });
    const message =
      'POST\n/v3/pay/transactions/out-trade-no/T123456/close\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n' +
      `${body}\n`;
    const signature = signSha256WithRsa(message, JAVA_MERCHANT_PRIVATE_KEY);
    expect(header).toBe(
      `WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",` +
        `signature="${signature}",timestamp="1554208460",serial_no="${JAVA_MERCHANT_CERTIFICATE_SERIAL}"`,
    );
    const parts = parseAuthorization(header);
    expect(parts).toEqual({
      mchid: '1900000109',
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
      signature,
      timestamp: '1554208460',
      serialNo: JAVA_MERCHANT_CERTIFICATE_SERIAL,
    });
    expect(verifySha256WithRsa(message, parts!.signature, JAVA_MERCHANT_CERTIFICATE)).toBe(true);
  });

  it('a GET signs an empty body line', () => {
    expect(
      requestMessage({ method: 'GET', url: '/v3/certificates', timestamp: '1', nonce: 'N', body: '' }),
    ).toBe('GET\n/v3/certificates\n1\nN\n\n');
  });

  it('parseAuthorization refuses other schemes and missing fields', () => {
    expect(parseAuthorization(undefined)).toBeNull();
    expect(parseAuthorization('Bearer abc')).toBeNull();
    const full = buildAuthorization({
      mchid: 'm',
      nonce: 'n',
      signature: 's',
      timestamp: '1',
      serialNo: 'x',
    });
    expect(parseAuthorization(full.replace(',serial_no="x"', ''))).toBeNull();
  });
});

describe('answer signatures and paySign', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('TIMESTAMP\\nNONCE\\nBODY\\n verifies only under the signing key and only for the same bytes', () => {
    const signature = signResponse('1700000000', 'NONCE', '{"a":1}', privateKey);
    const ok = { timestamp: '1700000000', nonce: 'NONCE', body: '{"a":1}', signature };
    expect(verifyResponse(ok, publicKey)).toBe(true);
    expect(verifyResponse(ok, other.publicKey)).toBe(false);
    expect(verifyResponse({ ...ok, body: '{"a":2}' }, publicKey)).toBe(false);
    expect(verifyResponse({ ...ok, timestamp: '1700000001' }, publicKey)).toBe(false);
    // WeChat's signature probes are not base64 signatures at all: refused, never thrown.
    expect(verifyResponse({ ...ok, signature: 'WECHATPAY/SIGNTEST/abc' }, publicKey)).toBe(false);
  });

  it('paySign is over appId\\ntimeStamp\\nnonceStr\\npackage\\n', () => {
    const p = { appId: 'wx123', timeStamp: '1700000000', nonceStr: 'N1', package: 'prepay_id=wx1' };
    expect(paySignMessage(p.appId, p.timeStamp, p.nonceStr, p.package)).toBe(
      'wx123\n1700000000\nN1\nprepay_id=wx1\n',
    );
    const sign = signPayment(p, JAVA_MERCHANT_PRIVATE_KEY);
    expect(
      verifySha256WithRsa('wx123\n1700000000\nN1\nprepay_id=wx1\n', sign, JAVA_MERCHANT_CERTIFICATE),
    ).toBe(true);
  });
});

describe('loadPem', () => {
  it('takes an inline PEM, also with literal \\n from an environment variable', () => {
    const escaped = JAVA_MERCHANT_CERTIFICATE.trim().replace(/\n/g, '\\n');
    expect(loadPem({ pem: escaped }, 'WECHATPAY_PUBLIC_KEY')).toBe(JAVA_MERCHANT_CERTIFICATE);
  });

  it('reads a file, and names the setting (never the content) when it is wrong', () => {
    expect(() => loadPem({ path: '/nonexistent/key.pem' }, 'WECHATPAY_PRIVATE_KEY_PATH')).toThrow(
      /WECHATPAY_PRIVATE_KEY_PATH: cannot read/,
    );
    expect(() => loadPem({ pem: 'secret-not-a-pem' }, 'WECHATPAY_PRIVATE_KEY')).toThrow(
      /^WECHATPAY_PRIVATE_KEY: not a PEM/,
    );
    try {
      loadPem({ pem: 'secret-not-a-pem' }, 'WECHATPAY_PRIVATE_KEY');
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
    expect(() => loadPem({}, 'WECHATPAY_PRIVATE_KEY')).toThrow(/give the PEM or a path/);
  });
});
