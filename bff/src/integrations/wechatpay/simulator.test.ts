import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WechatpayClient, WechatpayNotification } from './api';
import {
  createWechatpayClient,
  INVALID_SIGNATURE_CODE,
  TRANSPORT_CODE,
  WechatpayError,
  WechatpayNotificationError,
} from './client';
import { GO_PRIVATE_KEY } from './fixtures/published-vectors';
import { signRequest, verifySha256WithRsa } from './sign';
import { startWechatpaySimulator, type WechatpaySimulator } from './simulator';

/** Our side of notifications: a tiny server that hands the raw body to parseNotification. */
interface Receiver {
  url: string;
  parsed: WechatpayNotification[];
  refused: string[];
  client: WechatpayClient | null;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { url: '', parsed: [], refused: [], client: null, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const n = await r.client!.parseNotification(req.headers, Buffer.concat(chunks).toString('utf8'));
        r.parsed.push(n);
        res.writeHead(204).end();
      } catch (e) {
        r.refused.push(e instanceof WechatpayNotificationError ? e.problem : String(e));
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"FAIL","message":"失败"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/payments/wechatpay/notify`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}

let sim: WechatpaySimulator;
let rx: Receiver;
let client: WechatpayClient;
let seq = 0;
const tradeNo = () => `T${Date.now()}${seq++}`;

beforeAll(async () => {
  [sim, rx] = await Promise.all([startWechatpaySimulator({ refundDelayMs: 20 }), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([sim.close(), rx.close()]);
});
beforeEach(() => {
  sim.reset();
  rx.parsed.length = 0;
  rx.refused.length = 0;
  client = createWechatpayClient(sim.clientConfig({ mode: 'publicKey' }));
  rx.client = client;
});
afterEach(() => sim.idle());

async function caught(p: Promise<unknown>): Promise<WechatpayError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WechatpayError);
  return e as WechatpayError;
}

async function prepay(totalFen = 1280, outTradeNo = tradeNo()) {
  const r = await client.jsapiPrepay({
    outTradeNo,
    description: '邻里小店-订单',
    notifyUrl: rx.url,
    totalFen,
    payerOpenid: 'o_dev_alice',
    expiresAt: new Date(Date.now() + 15 * 60_000),
  });
  return { ...r, outTradeNo };
}

describe('prepay and wx.requestPayment', () => {
  it('returns a prepay id and requestPayment params whose paySign verifies with the merchant public key', async () => {
    const { prepayId, requestPayment, outTradeNo } = await prepay();
    expect(prepayId).toMatch(/^wx\w+$/);
    expect(requestPayment.package).toBe(`prepay_id=${prepayId}`);
    expect(requestPayment.signType).toBe('RSA');
    expect(requestPayment.timeStamp).toMatch(/^\d{10}$/);
    const message = `${sim.merchant.appid}\n${requestPayment.timeStamp}\n${requestPayment.nonceStr}\n${requestPayment.package}\n`;
    expect(verifySha256WithRsa(message, requestPayment.paySign, sim.merchant.publicKeyPem)).toBe(true);
    const tx = sim.transactions().find((t) => t.outTradeNo === outTradeNo)!;
    expect(tx).toMatchObject({ totalFen: 1280, payerOpenid: 'o_dev_alice', tradeState: 'NOTPAY' });
    expect(tx.timeExpire).toMatch(/\+08:00$/);
    // Signing again for the same prepay id gives fresh, valid params.
    const again = client.requestPaymentParams(prepayId);
    expect(again.nonceStr).not.toBe(requestPayment.nonceStr);
  });

  it('the same out_trade_no with the same params answers the same prepay id; other params 403 OUT_TRADE_NO_USED', async () => {
    const first = await prepay(500);
    const second = await prepay(500, first.outTradeNo);
    expect(second.prepayId).toBe(first.prepayId);
    const e = await caught(prepay(501, first.outTradeNo));
    expect(e).toMatchObject({ status: 403, code: 'OUT_TRADE_NO_USED', retryable: false });
  });

  it('bad params answer 400 PARAM_ERROR (not retryable)', async () => {
    const e = await caught(prepay(0));
    expect(e).toMatchObject({ status: 400, code: 'PARAM_ERROR', retryable: false });
    const e2 = await caught(prepay(100, 'bad no!'));
    expect(e2.code).toBe('PARAM_ERROR');
  });
});

describe('pay and notifications', () => {
  it('pay -> a TRANSACTION.SUCCESS notification that verifies and decrypts to the transaction', async () => {
    const { outTradeNo, prepayId } = await prepay(990);
    await sim.pay(prepayId);
    expect(rx.refused).toEqual([]);
    expect(rx.parsed).toHaveLength(1);
    const n = rx.parsed[0]!;
    expect(n.eventType).toBe('TRANSACTION.SUCCESS');
    if (!('transaction' in n)) throw new Error('expected a transaction');
    expect(n.transaction).toMatchObject({
      outTradeNo,
      tradeState: 'SUCCESS',
      mchid: sim.merchant.mchid,
      appid: sim.merchant.appid,
      totalFen: 990,
      payerOpenid: 'o_dev_alice',
    });
    expect(n.transaction.transactionId).toMatch(/^4200\d{24}$/);
    expect(n.transaction.successTime).toMatch(/\+08:00$/);
    const [record] = sim.notifications();
    expect(record).toMatchObject({ status: 204, accepted: true, attempt: 1, url: rx.url });
    const body = JSON.parse(record!.body);
    expect(body).toMatchObject({
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        associated_data: 'transaction',
      },
    });
    expect(body.resource.nonce).toHaveLength(12);
    expect(Object.keys(record!.headers)).toEqual(
      expect.arrayContaining([
        'wechatpay-timestamp',
        'wechatpay-nonce',
        'wechatpay-signature',
        'wechatpay-serial',
      ]),
    );
    expect(record!.headers['wechatpay-serial']).toBe(sim.publicKeyId);
  });

  it.each([
    ['badSignature', 'BAD_SIGNATURE'],
    ['unknownSerial', 'UNKNOWN_SERIAL'],
    ['staleTimestamp', 'STALE_TIMESTAMP'],
    ['tamperedCiphertext', 'DECRYPT_FAILED'],
    ['wrongAssociatedData', 'DECRYPT_FAILED'],
  ] as const)('a notification with %s is refused as %s, and WeChat sees a failure', async (mode, problem) => {
    const { prepayId } = await prepay();
    await sim.pay(prepayId, { notify: mode });
    expect(rx.parsed).toEqual([]);
    expect(rx.refused).toEqual([problem]);
    expect(sim.notifications()[0]).toMatchObject({ status: 400, accepted: false, mode });
  });

  it('missing headers and a malformed body are refused', async () => {
    await expect(client.parseNotification({}, '{}')).rejects.toMatchObject({ problem: 'MISSING_HEADERS' });
    const { prepayId } = await prepay();
    await sim.pay(prepayId);
    const { headers, body } = sim.notifications()[0]!;
    // Same headers over another body: the signature no longer matches.
    await expect(client.parseNotification(headers, `${body} `)).rejects.toMatchObject({
      problem: 'BAD_SIGNATURE',
    });
  });

  it("'twice' sends one notification id twice at once; notify() replays it N times, in sequence or at once", async () => {
    const { outTradeNo, prepayId } = await prepay();
    await sim.pay(prepayId, { notify: 'twice' });
    await sim.notify({ outTradeNo }, { times: 3 });
    await sim.notify({ outTradeNo }, { times: 10, concurrent: true });
    expect(rx.parsed).toHaveLength(15);
    expect(new Set(rx.parsed.map((n) => n.id)).size).toBe(1);
    expect(sim.notifications().every((n) => n.accepted)).toBe(true);
  });

  it("'never' sends nothing (the query finds it paid); 'late' arrives after the delay", async () => {
    const a = await prepay(300);
    await sim.pay(a.prepayId, { notify: 'never' });
    expect(sim.notifications()).toEqual([]);
    expect(await client.queryByOutTradeNo(a.outTradeNo)).toMatchObject({
      tradeState: 'SUCCESS',
      totalFen: 300,
    });

    const b = await prepay();
    await sim.pay(b.outTradeNo, { notify: 'late', delayMs: 60 });
    expect(rx.parsed).toHaveLength(0);
    await sim.idle();
    expect(rx.parsed).toHaveLength(1);
  });

  it('a wrong amount or mchid is in the (authentic) notification for the merchant to refuse', async () => {
    const { prepayId } = await prepay(1000);
    await sim.pay(prepayId, { amountFen: 1, mchid: '1999999999' });
    const n = rx.parsed[0]!;
    if (!('transaction' in n)) throw new Error('expected a transaction');
    expect(n.transaction).toMatchObject({ totalFen: 1, mchid: '1999999999' });
    // The transaction itself keeps its real amount.
    expect(sim.transactions()[0]!.totalFen).toBe(1000);
  });

  it('retries what the merchant did not accept on the configured schedule', async () => {
    const s = await startWechatpaySimulator({ notifyRetryDelaysMs: [10, 10] });
    try {
      const c = createWechatpayClient(s.clientConfig());
      const r = await c.jsapiPrepay({
        outTradeNo: tradeNo(),
        description: 'x',
        notifyUrl: 'http://127.0.0.1:9/unreachable',
        totalFen: 1,
        payerOpenid: 'o1',
      });
      await s.pay(r.prepayId);
      await s.idle();
      expect(s.notifications().map((n) => [n.attempt, n.status])).toEqual([
        [1, null],
        [2, null],
        [3, null],
      ]);
    } finally {
      await s.close();
    }
  });
});

describe('query and close', () => {
  it('queries NOTPAY, then SUCCESS; an unknown order is null', async () => {
    const { outTradeNo, prepayId } = await prepay(42);
    expect(await client.queryByOutTradeNo(outTradeNo)).toMatchObject({
      outTradeNo,
      tradeState: 'NOTPAY',
      transactionId: null,
      totalFen: 42,
      payerOpenid: null,
    });
    await sim.pay(prepayId, { notify: 'never' });
    expect(await client.queryByOutTradeNo(outTradeNo)).toMatchObject({
      tradeState: 'SUCCESS',
      payerOpenid: 'o_dev_alice',
    });
    expect(await client.queryByOutTradeNo('NOSUCHORDER1')).toBeNull();
  });

  it('closes an unpaid order (then it cannot be paid); closing again or an unknown order is fine; a paid one is ORDERPAID', async () => {
    const a = await prepay();
    await client.close(a.outTradeNo);
    await client.close(a.outTradeNo);
    await client.close('NOSUCHORDER2');
    expect(await client.queryByOutTradeNo(a.outTradeNo)).toMatchObject({ tradeState: 'CLOSED' });
    await expect(sim.pay(a.prepayId)).rejects.toThrow(/closed/);
    const e0 = await caught(prepay(1280, a.outTradeNo));
    expect(e0).toMatchObject({ status: 400, code: 'ORDER_CLOSED' });

    const b = await prepay();
    await sim.pay(b.prepayId, { notify: 'never' });
    const e = await caught(client.close(b.outTradeNo));
    expect(e).toMatchObject({ status: 400, code: 'ORDERPAID', retryable: false });
  });
});

describe('refunds', () => {
  async function paid(totalFen = 1000) {
    const p = await prepay(totalFen);
    await sim.pay(p.prepayId, { notify: 'never' });
    return p;
  }

  it('partial refunds go PROCESSING then SUCCESS with a REFUND.SUCCESS notification; a repeated out_refund_no answers the same refund', async () => {
    const { outTradeNo } = await paid(1000);
    const input = {
      outTradeNo,
      outRefundNo: `R${tradeNo()}`,
      refundFen: 300,
      totalFen: 1000,
      notifyUrl: rx.url,
    };
    const r = await client.refund({ ...input, reason: '缺货' });
    expect(r).toMatchObject({
      outRefundNo: input.outRefundNo,
      outTradeNo,
      status: 'PROCESSING',
      refundFen: 300,
      totalFen: 1000,
    });
    const again = await client.refund(input);
    expect(again.refundId).toBe(r.refundId);
    await sim.idle();
    expect(rx.parsed).toHaveLength(1);
    const n = rx.parsed[0]!;
    expect(n.eventType).toBe('REFUND.SUCCESS');
    if (!('refund' in n)) throw new Error('expected a refund');
    expect(n.refund).toMatchObject({
      outRefundNo: input.outRefundNo,
      refundId: r.refundId,
      status: 'SUCCESS',
      refundFen: 300,
    });
    expect(await client.queryRefund(input.outRefundNo)).toMatchObject({
      status: 'SUCCESS',
      successTime: expect.any(String),
    });
    expect(await client.queryByOutTradeNo(outTradeNo)).toMatchObject({ tradeState: 'REFUND' });

    // 700 left: 701 is refused, 700 is fine.
    const over = await caught(client.refund({ ...input, outRefundNo: `R${tradeNo()}`, refundFen: 701 }));
    expect(over).toMatchObject({ status: 400, code: 'INVALID_REQUEST', retryable: false });
    await client.refund({ ...input, outRefundNo: `R${tradeNo()}`, refundFen: 700 });
    expect(sim.transactions()[0]!.refundedFen).toBe(1000);
    // The REFUND notification can be replayed.
    await sim.notify({ outRefundNo: input.outRefundNo }, { times: 2 });
    expect(rx.parsed.filter((p) => p.id === n.id)).toHaveLength(3);
  });

  it('failNextRefund answers NOT_ENOUGH / SYSTEM_ERROR (retryable) without creating the refund; then it works', async () => {
    const { outTradeNo } = await paid(500);
    const input = {
      outTradeNo,
      outRefundNo: `R${tradeNo()}`,
      refundFen: 500,
      totalFen: 500,
      notifyUrl: rx.url,
    };
    sim.failNextRefund('NOT_ENOUGH', 403);
    expect(await caught(client.refund(input))).toMatchObject({
      status: 403,
      code: 'NOT_ENOUGH',
      retryable: true,
    });
    sim.failNextRefund('SYSTEM_ERROR', 500);
    expect(await caught(client.refund(input))).toMatchObject({
      status: 500,
      code: 'SYSTEM_ERROR',
      retryable: true,
    });
    expect(await client.queryRefund(input.outRefundNo)).toBeNull();
    expect((await client.refund(input)).status).toBe('PROCESSING');
  });

  it('endNextRefund makes a refund end ABNORMAL with a REFUND.ABNORMAL notification', async () => {
    const { outTradeNo } = await paid(500);
    sim.endNextRefund('ABNORMAL');
    const outRefundNo = `R${tradeNo()}`;
    await client.refund({ outTradeNo, outRefundNo, refundFen: 200, totalFen: 500, notifyUrl: rx.url });
    await sim.idle();
    expect(rx.parsed.map((n) => n.eventType)).toEqual(['REFUND.ABNORMAL']);
    expect(await client.queryRefund(outRefundNo)).toMatchObject({ status: 'ABNORMAL' });
  });

  it('refunding an unpaid or unknown order is refused', async () => {
    const { outTradeNo } = await prepay(100);
    const input = {
      outTradeNo,
      outRefundNo: `R${tradeNo()}`,
      refundFen: 100,
      totalFen: 100,
      notifyUrl: rx.url,
    };
    expect(await caught(client.refund(input))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect(await caught(client.refund({ ...input, outTradeNo: 'NOSUCHORDER3' }))).toMatchObject({
      status: 404,
      code: 'RESOURCE_NOT_EXISTS',
    });
  });

  it("'manual' refunds wait for settleRefund", async () => {
    const s = await startWechatpaySimulator({ refundDelayMs: 'manual' });
    try {
      const c = createWechatpayClient(s.clientConfig());
      const outTradeNo = tradeNo();
      const p = await c.jsapiPrepay({
        outTradeNo,
        description: 'x',
        notifyUrl: rx.url,
        totalFen: 9,
        payerOpenid: 'o',
      });
      await s.pay(p.prepayId, { notify: 'never' });
      await c.refund({
        outTradeNo,
        outRefundNo: 'RMANUAL1',
        refundFen: 9,
        totalFen: 9,
        notifyUrl: 'http://127.0.0.1:9/x',
      });
      await s.idle();
      expect((await c.queryRefund('RMANUAL1'))!.status).toBe('PROCESSING');
      await s.settleRefund('RMANUAL1', 'CLOSED');
      expect((await c.queryRefund('RMANUAL1'))!.status).toBe('CLOSED');
    } finally {
      await s.close();
    }
  });
});

describe('request signatures and answer verification', () => {
  it('a client signing with the wrong key gets 401 SIGN_ERROR', async () => {
    // Another merchant's key under our serial: the signature cannot verify.
    const bad = createWechatpayClient({ ...sim.clientConfig(), merchantPrivateKeyPem: GO_PRIVATE_KEY });
    expect(await caught(bad.queryByOutTradeNo('ANYORDER1'))).toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
      retryable: false,
    });
    const wrongSerial = createWechatpayClient({ ...sim.clientConfig(), merchantCertSerial: 'ABCDEF' });
    expect((await caught(wrongSerial.queryByOutTradeNo('ANYORDER1'))).code).toBe('SIGN_ERROR');
  });

  it('raw requests: no Authorization, a tampered body, or a stale timestamp -> 401 SIGN_ERROR, signed', async () => {
    const path = '/v3/pay/transactions/jsapi';
    const body = JSON.stringify({ mchid: sim.merchant.mchid });
    const auth = (ts?: string) =>
      signRequest({
        method: 'POST',
        url: path,
        body,
        mchid: sim.merchant.mchid,
        serialNo: sim.merchant.certSerial,
        privateKey: sim.merchant.privateKeyPem,
        timestamp: ts,
      });
    const post = (headers: Record<string, string>, b = body) =>
      fetch(`${sim.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: b,
      });
    for (const res of [
      await post({}),
      await post({ authorization: auth() }, `${body} `),
      await post({ authorization: auth(String(Math.floor(Date.now() / 1000) - 3600)) }),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'SIGN_ERROR' });
      expect(res.headers.get('wechatpay-signature')).toBeTruthy();
    }
    // A correctly signed request passes authentication and fails on its params instead.
    const ok = await post({ authorization: auth() });
    expect(ok.status).toBe(400);
    expect(await ok.json()).toMatchObject({ code: 'PARAM_ERROR' });
  });

  it.each(['badSignature', 'unsigned', 'unknownSerial'] as const)(
    'the client refuses a %s answer (retryable: nothing may be concluded from it)',
    async (answer) => {
      sim.failNext('query', { answer });
      expect(await caught(client.queryByOutTradeNo('ANYORDER2'))).toMatchObject({
        code: INVALID_SIGNATURE_CODE,
        retryable: true,
      });
    },
  );

  it('a forged 404 is not taken as "no such order"', async () => {
    sim.failNext('query', { answer: 'badSignature' });
    // The real answer would be 404 ORDER_NOT_EXIST -> null; forged, it must throw instead.
    await expect(client.queryByOutTradeNo('NOSUCHORDER4')).rejects.toBeInstanceOf(WechatpayError);
  });

  it('maps FREQUENCY_LIMITED 429 and 5xx to retryable, timeouts to TRANSPORT', async () => {
    sim.failNext('query', { status: 429, code: 'FREQUENCY_LIMITED', message: '频率超限' });
    expect(await caught(client.queryByOutTradeNo('ANYORDER3'))).toMatchObject({
      status: 429,
      code: 'FREQUENCY_LIMITED',
      retryable: true,
    });
    sim.failNext('query', { status: 502, code: 'SYSTEM_ERROR' });
    expect(await caught(client.queryByOutTradeNo('ANYORDER3'))).toMatchObject({
      status: 502,
      retryable: true,
    });
    sim.failNext('query', { delayMs: 300 });
    const slow = createWechatpayClient(sim.clientConfig({ timeoutMs: 50 }));
    expect(await caught(slow.queryByOutTradeNo('ANYORDER3'))).toMatchObject({
      status: 0,
      code: TRANSPORT_CODE,
      retryable: true,
    });
    const down = createWechatpayClient(sim.clientConfig({ baseUrl: 'http://127.0.0.1:9' }));
    const e = await caught(down.queryByOutTradeNo('ANYORDER3'));
    expect(e).toMatchObject({ status: 0, code: TRANSPORT_CODE, retryable: true });
  });

  it('error messages never carry the private key or the APIv3 key', async () => {
    sim.failNext('refund', { status: 500, code: 'SYSTEM_ERROR' });
    const e = await caught(
      client.refund({
        outTradeNo: 'X123456',
        outRefundNo: 'R1',
        refundFen: 1,
        totalFen: 1,
        notifyUrl: rx.url,
      }),
    );
    const text = `${e.message} ${JSON.stringify(e)}`;
    expect(text).not.toContain(sim.merchant.apiV3Key);
    expect(text).not.toContain('PRIVATE KEY');
  });
});

describe('config', () => {
  it('refuses a bad APIv3 key or private key at creation, naming the setting and not its value', () => {
    expect(() => createWechatpayClient({ ...sim.clientConfig(), apiV3Key: 'short-secret-value' })).toThrow(
      /APIv3 key must be 32 bytes/,
    );
    expect(() =>
      createWechatpayClient({ ...sim.clientConfig(), merchantPrivateKeyPem: 'secret-garbage' }),
    ).toThrow(/^WeChat Pay config: the merchant private key is not a valid PEM private key$/);
  });
});

describe('platform-certificate mode', () => {
  it('downloads /v3/certificates for an unknown serial, then verifies answers and notifications', async () => {
    const c = createWechatpayClient(sim.clientConfig({ mode: 'platformCertificate' }));
    rx.client = c;
    const outTradeNo = tradeNo();
    const p = await c.jsapiPrepay({
      outTradeNo,
      description: 'x',
      notifyUrl: rx.url,
      totalFen: 5,
      payerOpenid: 'o',
    });
    expect(sim.requests().filter((r) => r.path === '/v3/certificates')).toHaveLength(1);
    await sim.pay(p.prepayId);
    expect(rx.parsed).toHaveLength(1);
    expect(sim.notifications()[0]!.headers['wechatpay-serial']).toBe(sim.platformCertificateSerial);
    // A notification under an unknown serial: refused (the download is rate-limited, not repeated per forgery).
    await sim.notify({ outTradeNo }, { mode: 'unknownSerial', times: 3 });
    expect(rx.refused).toEqual(['UNKNOWN_SERIAL', 'UNKNOWN_SERIAL', 'UNKNOWN_SERIAL']);
    expect(sim.requests().filter((r) => r.path === '/v3/certificates')).toHaveLength(1);
  });

  it('uses given certificates without downloading; a public-key client refuses certificate-signed answers', async () => {
    const c = createWechatpayClient(
      sim.clientConfig({ mode: 'platformCertificate', withCertificates: true }),
    );
    await c.queryByOutTradeNo('NOSUCHORDER5');
    expect(sim.requests().filter((r) => r.path === '/v3/certificates')).toHaveLength(0);
    const pk = createWechatpayClient({
      ...sim.clientConfig(),
      verifier: { mode: 'publicKey', publicKeyId: sim.publicKeyId, publicKeyPem: sim.publicKeyPem },
    });
    expect((await caught(pk.queryByOutTradeNo('NOSUCHORDER5'))).code).toBe(INVALID_SIGNATURE_CODE);
    sim.verifierMode = 'publicKey';
  });
});

describe('custom delivery (for apps driven by inject)', () => {
  it('hands notifications to sim.deliver and records its answer', async () => {
    const seen: string[] = [];
    sim.deliver = async (req) => {
      seen.push(req.url);
      const n = await client.parseNotification(req.headers, req.body);
      return { status: n.eventType === 'TRANSACTION.SUCCESS' ? 200 : 500, body: '' };
    };
    try {
      const { prepayId } = await prepay();
      await sim.pay(prepayId);
      expect(seen).toEqual([rx.url]);
      expect(rx.parsed).toEqual([]);
      expect(sim.notifications()[0]).toMatchObject({ status: 200, accepted: true });
    } finally {
      sim.deliver = null;
    }
  });
});

describe('the /_sim/ control API over HTTP', () => {
  it('pays by GET /_sim/pay, lists transactions and notifications', async () => {
    const { outTradeNo } = await prepay(77);
    const page = await fetch(`${sim.url}/_sim/`);
    expect(await page.text()).toContain(outTradeNo);
    const res = await fetch(`${sim.url}/_sim/pay?outTradeNo=${outTradeNo}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outTradeNo, tradeState: 'SUCCESS' });
    expect(rx.parsed).toHaveLength(1);
    const list = await (await fetch(`${sim.url}/_sim/notifications`)).json();
    expect(list).toHaveLength(1);
    const re = await fetch(`${sim.url}/_sim/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outTradeNo, times: 2 }),
    });
    expect(re.status).toBe(200);
    expect(rx.parsed).toHaveLength(3);
    const bad = await fetch(`${sim.url}/_sim/pay?outTradeNo=NOPE123`);
    expect(bad.status).toBe(400);
    // A browser clicking 支付 is sent back to the page, which shows the payment and its notification.
    const other = await prepay(88);
    const click = await fetch(`${sim.url}/_sim/pay?outTradeNo=${other.outTradeNo}`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(click.status).toBe(303);
    expect(click.headers.get('location')).toBe('/_sim/');
    const html = await (await fetch(`${sim.url}/_sim/`)).text();
    expect(html).toContain('支付成功');
    expect(html).toContain('TRANSACTION.SUCCESS');
  });
});
