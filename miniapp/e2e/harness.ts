import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startWorkers, type WorkerRuntime } from '../../bff/src/workers';
import { setupTestApp, type TestApp } from '../../bff/test/helper';

export const H5_DIST = fileURLToPath(new URL('../dist/h5', import.meta.url));

export interface E2E {
  t: TestApp;
  base: string;
  browser: Browser;
  /** A phone-sized browser context, like a resident's phone. */
  phone(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/**
 * The real BFF (own database, queues, fake WeChat) serving the built H5 app from its origin, plus
 * Debian's chromium driven by playwright-core. Never downloads a browser.
 */
export async function startE2E(): Promise<E2E> {
  const t = await setupTestApp({ H5_DIST_DIR: H5_DIST, AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const workers: WorkerRuntime = startWorkers(t.deps, t.app.log, { relayIntervalMs: 50 });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const home = mkdtempSync(join(tmpdir(), 'linli-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
  });
  return {
    t,
    base: address,
    browser,
    async phone() {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      return { context, page, errors };
    },
    async close() {
      await browser.close();
      await workers.close();
      await t.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Signs in on the H5 login page with a phone number (dev login). */
export async function loginByPhone(page: Page, base: string, phone: string) {
  await page.goto(`${base}/#/pages/login/index`);
  await page.locator('input[placeholder="请输入手机号"]').fill(phone);
  await page.getByText('登录', { exact: true }).click();
  await page.getByTestId('page-home').waitFor();
}

/** The BFF's answer to one request made as `phone` (dev login), failing the test on a non-2xx. */
export async function apiAs(
  e: E2E,
  phone: string,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies structurally
): Promise<any> {
  const { authorization } = await e.t.login(phone);
  const res = await e.t.call({ method, url, payload, headers: { authorization, ...headers } });
  if (res.status < 200 || res.status >= 300)
    throw new Error(`${method} ${url} as ${phone}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * An order at 菜宅送 (the demo produce shop, open around the clock) placed through the API by
 * `phone`: left unpaid, paid (devpay), or also accepted by the merchant (13800000002).
 */
export async function placeProduceOrder(
  e: E2E,
  phone: string,
  until: 'created' | 'paid' | 'accepted',
): Promise<{ id: string; merchantId: string }> {
  const merchants = await apiAs(e, phone, 'GET', '/v1/merchants?category=produce');
  const shop = merchants.items.find((m: { name: string }) => m.name === '菜宅送');
  const products = await apiAs(
    e,
    phone,
    'GET',
    `/v1/products?merchantId=${shop.id}&q=${encodeURIComponent('土豆')}`,
  );
  const order = await apiAs(
    e,
    phone,
    'POST',
    '/v1/orders',
    {
      merchantId: shop.id,
      items: [{ productId: products.items[0].id, quantity: 10 }],
      delivery: { mode: 'shop_pickup' },
    },
    { 'idempotency-key': `e2e-${phone}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` },
  );
  if (until !== 'created') {
    const pay = await apiAs(e, phone, 'POST', `/v1/orders/${order.id}/pay`, {});
    await apiAs(e, phone, 'POST', `/v1/payments/${pay.paymentId}/dev-confirm`, {});
  }
  if (until === 'accepted')
    await apiAs(e, '13800000002', 'POST', `/v1/merchant/orders/${order.id}/accept`, {});
  return { id: order.id, merchantId: shop.id };
}

export const STAFF_PHONE = '13800000001';
export const COURIER_PHONE = '13800000003';

/** Where `phone` can send a locker order: the first open window and the bank of their compound. */
export async function lockerTarget(
  e: E2E,
  phone: string,
): Promise<{ windowId: string; cutoffAt: string; bankId: string; bankName: string }> {
  const me = await apiAs(e, phone, 'GET', '/v1/me');
  const home = me.memberships.find((m: { status: string }) => m.status === 'approved');
  if (!home) throw new Error(`${phone} has no verified household`);
  const windows = await apiAs(e, phone, 'GET', `/v1/delivery-windows?communityId=${home.communityId}`);
  const w = windows.items[0];
  if (!w) throw new Error('no open delivery window');
  const avail = await apiAs(
    e,
    phone,
    'GET',
    `/v1/lockers/availability?compoundId=${home.compoundId}&windowId=${w.id}`,
  );
  const bank = avail.banks[0];
  return { windowId: w.id, cutoffAt: w.cutoffAt, bankId: bank.bankId, bankName: bank.name };
}

/** A paid and merchant-accepted 菜宅送 order (6 斤 小白菜, chilled) for a locker, through the API. */
export async function placeLockerOrder(
  e: E2E,
  phone: string,
): Promise<{ id: string; windowId: string; cutoffAt: string; bankId: string; bankName: string }> {
  const target = await lockerTarget(e, phone);
  const merchants = await apiAs(e, phone, 'GET', '/v1/merchants?category=produce');
  const shop = merchants.items.find((m: { name: string }) => m.name === '菜宅送');
  const products = await apiAs(
    e,
    phone,
    'GET',
    `/v1/products?merchantId=${shop.id}&q=${encodeURIComponent('小白菜')}`,
  );
  const order = await apiAs(
    e,
    phone,
    'POST',
    '/v1/orders',
    {
      merchantId: shop.id,
      items: [{ productId: products.items[0].id, quantity: 6 }],
      delivery: { mode: 'locker', windowId: target.windowId, lockerBankId: target.bankId, consent: true },
    },
    { 'idempotency-key': `e2e-${phone}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` },
  );
  const pay = await apiAs(e, phone, 'POST', `/v1/orders/${order.id}/pay`, {});
  await apiAs(e, phone, 'POST', `/v1/payments/${pay.paymentId}/dev-confirm`, {});
  await apiAs(e, '13800000002', 'POST', `/v1/merchant/orders/${order.id}/accept`, {});
  return { id: order.id, ...target };
}

/**
 * The cut-off of a window, as the scheduler runs it: the test clock is moved just past the cut-off,
 * the scheduler's job (`schedule.cutoff`) goes on the lockers queue, and the workers close the
 * window and build its batch. Waits until the courier sees the batch ready, then puts the clock
 * back to the wall clock (other tests of the file read it). Returns the batch id.
 */
export async function cutOff(e: E2E, window: { windowId: string; cutoffAt: string }): Promise<string> {
  e.t.clock.set(new Date(new Date(window.cutoffAt).getTime() + 1000));
  try {
    await e.t.deps.queues.get('lockers').add('schedule.cutoff', {});
    let batch: { id: string; status: string } | undefined;
    await expect
      .poll(
        async () => {
          const list = await apiAs(e, COURIER_PHONE, 'GET', '/v1/courier/batches');
          batch = list.items.find((b: { windowId: string }) => b.windowId === window.windowId);
          return batch?.status;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe('ready');
    return batch!.id;
  } finally {
    e.t.clock.set(new Date());
  }
}

/** The courier starts the batch and drops every order of it, through the API. */
export async function dropBatch(e: E2E, batchId: string): Promise<void> {
  await apiAs(e, COURIER_PHONE, 'POST', `/v1/courier/batches/${batchId}/start`, {});
  const m = await apiAs(e, COURIER_PHONE, 'GET', `/v1/courier/batches/${batchId}`);
  for (const bank of m.dropList)
    for (const d of bank.drops)
      await apiAs(e, COURIER_PHONE, 'POST', `/v1/courier/batches/${batchId}/drops`, {
        orderId: d.orderId,
        compartmentId: d.compartmentId,
      });
}

/**
 * The locker panel asks the BFF to open for a code: signed with the bank's device secret (rotated
 * by staff to learn it) over `<timestamp>.<raw body>`. Returns the raw answer and a replay of it.
 */
export async function panelPickup(e: E2E, bankId: string, code: string, secret?: string) {
  const deviceSecret =
    secret ??
    (await apiAs(e, STAFF_PHONE, 'POST', `/v1/staff/locker-banks/${bankId}/device-secret`, {})).deviceSecret;
  const body = JSON.stringify({ code });
  const timestamp = String(Date.now());
  const signature = createHmac('sha256', deviceSecret).update(`${timestamp}.${body}`).digest('hex');
  const send = () =>
    e.t.call({
      method: 'POST',
      url: `/v1/devices/lockers/${bankId}/pickup`,
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-device-timestamp': timestamp,
        'x-device-signature': signature,
      },
    });
  return { first: await send(), replay: () => send(), deviceSecret };
}

/**
 * The visible page root named `name` (data-testid="page-<name>"). Taro's H5 router keeps earlier
 * pages of the stack in the DOM, hidden; this scopes a test to the one on screen.
 */
export function onPage(page: Page, name: string): Locator {
  return page.locator(`[data-testid="page-${name}"]:visible`);
}

/** 我的 -> 长辈模式 on; waits until the page has the elder class. */
export async function turnOnElderMode(page: Page) {
  await page.getByText('我的', { exact: true }).click();
  await page.getByTestId('page-mine').waitFor();
  await page.getByTestId('elder-switch').click();
  await page.locator('.page.elder:visible').first().waitFor();
}

/**
 * One app + browser per test file: started in beforeAll, closed in afterAll. The returned object
 * forwards to the running instance, so tests write `e.base` and `e.phone()` as usual.
 */
export function e2eSuite(): E2E {
  let running: E2E | undefined;
  beforeAll(async () => {
    if (!existsSync(join(H5_DIST, 'index.html')))
      throw new Error('build the H5 app first: pnpm --filter miniapp build:h5');
    running = await startE2E();
  });
  afterAll(() => running?.close());
  return new Proxy({} as E2E, {
    get(_, key) {
      if (!running) throw new Error('the e2e app is not running yet');
      return Reflect.get(running, key);
    },
  });
}

const MIN_TEXT_PX = 18;
const MIN_TAP_PX = 44;

/**
 * Every visible element inside the page root that holds text directly must be >= 18px, and every
 * button (and the switch) >= 44px high. The tab bar lives outside the page root and is not checked.
 */
export async function elderSizeProblems(page: Page, name: string): Promise<string[]> {
  const root = page.locator(`[data-testid="page-${name}"]:visible`);
  await root.waitFor();
  await expect.poll(() => root.getByTestId('loading').count(), { timeout: 10_000 }).toBe(0);
  // Wait for Taro's page transition to end, so the page is measured (and photographed) in place.
  await expect.poll(() => root.evaluate((el) => Math.round(el.getBoundingClientRect().left))).toBe(0);
  return root.evaluate(
    (el, [minText, minTap]) => {
      const problems: string[] = [];
      const visible = (node: Element) => {
        const r = node.getBoundingClientRect();
        const cs = getComputedStyle(node);
        return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
      };
      const describe = (node: Element) => `<${node.tagName.toLowerCase()} class="${node.className}">`;
      for (const node of Array.from(el.querySelectorAll('*'))) {
        const text = Array.from(node.childNodes)
          .filter((c) => c.nodeType === Node.TEXT_NODE)
          .map((c) => c.textContent ?? '')
          .join('')
          .trim();
        if (!text || !visible(node)) continue;
        const size = Number.parseFloat(getComputedStyle(node).fontSize);
        if (size < minText) problems.push(`text ${size}px "${text}" ${describe(node)}`);
      }
      for (const node of Array.from(el.querySelectorAll('taro-button-core, button, .btn, .nut-switch'))) {
        if (!visible(node)) continue;
        const height = node.getBoundingClientRect().height;
        if (height < minTap)
          problems.push(`button ${height}px high "${node.textContent?.trim()}" ${describe(node)}`);
      }
      return problems;
    },
    [MIN_TEXT_PX, MIN_TAP_PX] as const,
  );
}
