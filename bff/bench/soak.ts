/**
 * The soak (`pnpm bench:soak`, or BENCH_ONLY=soak): BENCH_SOAK_SECONDS (600 by default) of mixed
 * traffic against the production server and worker, each its own compiled process. Residents
 * signed in with WeChat browse the catalog (half of them revalidating with the ETag they were
 * given), read their notifications, place an order, pay it through WeChat Pay (the simulator as
 * the WeChat Pay API, its signed notification delivered to the server) and read the order back.
 *
 * The API process's RSS (/proc/<pid>/status VmRSS) is sampled every few seconds. PASS needs: RSS
 * growth after the warm-up under 10%, no unexpected status, no socket error, every order paid, the
 * outbox drained by the worker. Returns false on FAIL (the bench then exits non-zero).
 */
import type { TestApp } from '../test/helper';
import { benchResidents } from './market';
import { rssMb, startServer, startWorker } from './processes';
import { type BenchStack, METRICS_TOKEN } from './stack';

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
/** RSS settles once code is compiled, pools are full and caches are warm. */
const WARMUP = Number(process.env.BENCH_SOAK_WARMUP_SECONDS ?? Math.min(60, Math.round(SECONDS / 3)));
const USERS = Number(process.env.BENCH_SOAK_USERS ?? 200);
/** Residents acting at once; each waits THINK_MS between steps, like someone on a phone. */
const CONCURRENCY = Number(process.env.BENCH_SOAK_CONCURRENCY ?? 16);
const THINK_MS = Number(process.env.BENCH_SOAK_THINK_MS ?? 20);
const SAMPLE_MS = 5000;

interface Tally {
  requests: number;
  byStep: Record<string, number>;
  errors: string[];
  errorCount: number;
  orders: string[];
}

export async function benchSoak(t: TestApp, stack: BenchStack): Promise<boolean> {
  const db = t.deps.sql;
  const [community] = await db<{ id: string }[]>`SELECT id FROM communities LIMIT 1`;
  const [shop] = await db<{ id: string; min_order_fen: number }[]>`
    SELECT m.id, m.min_order_fen FROM merchants m JOIN users u ON u.id = m.owner_id
    WHERE u.phone = '13800000002'`;
  const [product] = await db<{ id: string }[]>`
    INSERT INTO products (id, merchant_id, name, category, unit, price_fen, stock, per_order_limit)
    VALUES (gen_random_uuid(), ${shop!.id}, '压测长跑青菜', '蔬菜', '斤', ${Math.max(shop!.min_order_fen, 100)}, 100000000, NULL)
    RETURNING id`;
  const tokens = await benchResidents(t, USERS, { phonePrefix: '132' });
  // WeChat Pay needs the payer's openid: these residents signed in through WeChat.
  await db`UPDATE users SET openid = 'o_soak_' || id WHERE phone LIKE '132%' AND openid IS NULL`;

  const worker = await startWorker(stack.env);
  const server = await startServer(stack.env);
  stack.notifyTo = server.url;
  let deliveryFailures = 0;
  const deliver = stack.sim.deliver!;
  stack.sim.deliver = async (req) => {
    const res = await deliver(req);
    if (res.status !== 200 && res.status !== 204) deliveryFailures += 1;
    return res;
  };

  const tally: Tally = { requests: 0, byStep: {}, errors: [], errorCount: 0, orders: [] };
  const fail = (what: string) => {
    tally.errorCount += 1;
    if (tally.errors.length < 10) tally.errors.push(what);
  };
  const call = async (step: string, path: string, init: RequestInit, ok: number[] = [200]) => {
    tally.requests += 1;
    tally.byStep[step] = (tally.byStep[step] ?? 0) + 1;
    try {
      const res = await fetch(`${server.url}${path}`, init);
      const text = await res.text();
      if (!ok.includes(res.status)) {
        fail(`${step}: ${res.status} ${text.slice(0, 200)}`);
        return null;
      }
      return { status: res.status, etag: res.headers.get('etag'), body: text ? JSON.parse(text) : null };
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      fail(
        `${step}: ${(err as Error).message}${cause ? ` (${cause.message})` : ''} at ${elapsed().toFixed(0)} s`,
      );
      return null;
    }
  };

  const samples: { at: number; api: number; worker: number; heap?: number; external?: number }[] = [];
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  /** The API's JS heap in use and its external memory (MB), as its /metrics reports them. */
  const heap = async () => {
    try {
      const res = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const text = await res.text();
      const gauge = (name: string) =>
        Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
      return { heap: gauge('nodejs_heap_size_used_bytes'), external: gauge('nodejs_external_memory_bytes') };
    } catch {
      return {};
    }
  };
  const sample = async () => {
    const at = elapsed();
    const rss = { api: rssMb(server.pid), worker: rssMb(worker.pid) };
    samples.push({ at, ...rss, ...(await heap()) });
  };
  const sampler = setInterval(() => void sample().catch(() => {}), SAMPLE_MS);
  await sample();

  const run = Date.now().toString(36);
  let n = 0;
  const resident = async (vu: number) => {
    let etag: string | null = null;
    while (elapsed() < SECONDS) {
      const i = n++;
      const headers = { authorization: `Bearer ${tokens[i % tokens.length]}` };
      const think = () => new Promise((r) => setTimeout(r, THINK_MS));
      const revalidate = vu % 2 === 0 && etag;
      const page = await call(
        'catalog',
        `/v1/products?communityId=${community!.id}`,
        { headers: revalidate ? { ...headers, 'if-none-match': etag! } : headers },
        [200, 304],
      );
      if (page?.etag) etag = page.etag;
      await think();
      await call('notifications', '/v1/notifications', { headers });
      await think();
      const order = await call(
        'order',
        '/v1/orders',
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `soak-${run}-${i}` },
          body: JSON.stringify({
            merchantId: shop!.id,
            items: [{ productId: product!.id, quantity: 1 }],
            delivery: { mode: 'shop_pickup' },
          }),
        },
        [200, 201],
      );
      if (!order) continue;
      const orderId = (order.body as { id: string }).id;
      tally.orders.push(orderId);
      const pay = await call(
        'pay',
        `/v1/orders/${orderId}/pay`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{}',
        },
        [200, 201],
      );
      if (!pay) continue;
      const params = (pay.body as { provider: string; params: Record<string, string> }).params;
      const prepayId = params.package?.replace(/^prepay_id=/, '');
      if (!prepayId) {
        fail(`pay: no prepay_id from ${(pay.body as { provider: string }).provider}`);
        continue;
      }
      try {
        await stack.sim.pay(prepayId);
      } catch (err) {
        fail(`WeChat Pay: ${(err as Error).message}`);
      }
      await think();
      const read = await call('order read', `/v1/orders/${orderId}`, { headers });
      const paid = read?.body as { payment: { status: string } | null } | null;
      if (read && paid?.payment?.status !== 'succeeded')
        fail(`order ${orderId} after payment: payment ${JSON.stringify(paid?.payment)}`);
      await think();
    }
  };

  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, vu) => resident(vu)));
  } finally {
    clearInterval(sampler);
    await sample();
  }
  const seconds = elapsed();
  samples.sort((a, b) => a.at - b.at);

  // Everything committed must reach the queues: give the worker a moment, then count.
  let pendingOutbox = -1;
  for (let i = 0; i < 60; i++) {
    const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`;
    pendingOutbox = row!.n;
    if (pendingOutbox === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const [unpaid] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM orders WHERE id = ANY(${tally.orders}::uuid[]) AND status = 'created'`;
  stack.notifyTo = null;
  stack.sim.deliver = deliver;
  // What the processes logged at warn or worse (pino level >= 40), to explain a failure.
  const complaints = [server, worker].flatMap((p) =>
    p
      .output(Number.POSITIVE_INFINITY)
      .split('\n')
      .filter((l) => /"level":(4|5|6)0/.test(l))
      .map((l) => `${p === server ? 'api' : 'worker'}: ${l.slice(0, 400)}`),
  );
  await Promise.all([server.stop(), worker.stop()]);

  // RSS saws up and down with V8's heap: compare a window just after the warm-up with the last
  // window (about a minute each in a 10-minute soak), not two single samples.
  const after = samples.filter((s) => s.at >= WARMUP);
  const window = Math.max(1, Math.min(12, Math.floor(after.length / 3)));
  const mean = (xs: typeof samples) => xs.reduce((a, s) => a + s.api, 0) / Math.max(1, xs.length);
  const start = mean(after.slice(0, window));
  const end = mean(after.slice(-window));
  const growth = end / start - 1;
  const max = Math.max(...after.map((s) => s.api));
  const mb = (v: number) => `${v.toFixed(1)} MB`;

  console.log(
    `\nSoak, ${seconds.toFixed(0)} s of mixed traffic (warm-up ${WARMUP} s), ${CONCURRENCY} residents at once of ${USERS}, API and worker as processes`,
  );
  console.log(
    `  ${tally.requests} requests (${(tally.requests / seconds).toFixed(0)} req/s): ${Object.entries(
      tally.byStep,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `  ${tally.orders.length} orders placed (${(tally.orders.length / seconds).toFixed(1)} orders/s) and paid through the WeChat Pay simulator; ${unpaid!.n} left unpaid; ${deliveryFailures} notifications refused; outbox rows not relayed: ${pendingOutbox}`,
  );
  console.log(
    `  samples every ${SAMPLE_MS / 1000} s: API RSS, API JS heap used, API external memory / worker RSS:`,
  );
  const line = (s: (typeof samples)[number], note = '') =>
    console.log(
      `    ${s.at.toFixed(0).padStart(5)} s  ${mb(s.api).padStart(9)} ${mb(s.heap ?? Number.NaN).padStart(9)} ${mb(s.external ?? Number.NaN).padStart(9)} / ${mb(s.worker)}${note}`,
    );
  const step = Math.max(1, Math.ceil(samples.length / 12));
  for (let i = 0; i < samples.length - 1; i += step) line(samples[i]!);
  line(samples[samples.length - 1]!, '  (last)');
  console.log(
    `  API RSS after warm-up (means of ${window} samples): ${mb(start)} from ${WARMUP} s, ${mb(end)} at the end, max ${mb(max)}: growth ${(growth * 100).toFixed(1)}%`,
  );
  const checks: [string, boolean][] = [
    [`API RSS growth after warm-up < 10% (${(growth * 100).toFixed(1)}%)`, growth < 0.1],
    [`no error: unexpected status or socket error (${tally.errorCount})`, tally.errorCount === 0],
    [
      `every order paid (${unpaid!.n} unpaid), every notification accepted`,
      unpaid!.n === 0 && deliveryFailures === 0,
    ],
    [`outbox drained by the worker (${pendingOutbox} left)`, pendingOutbox === 0],
    [`warm-up left samples to judge (${after.length})`, after.length >= 4],
  ];
  for (const [text, pass] of checks) console.log(`  ${text.padEnd(70)} ${pass ? 'PASS' : 'FAIL'}`);
  for (const e of tally.errors) console.log(`    error: ${e}`);
  if (complaints.length) console.log(`  ${complaints.length} log lines at warn or worse, the first 10:`);
  for (const c of complaints.slice(0, 10)) console.log(`    ${c}`);
  const pass = checks.every(([, p]) => p);
  console.log(`  soak: ${pass ? 'PASS' : 'FAIL'}`);
  return pass;
}
