import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * The acting-for banner on the page in front: H5 keeps earlier pages of the stack (the login page
 * after a reload) mounted and hidden, and each of them shows the banner too.
 */
export function visibleBanner(page: Page): Locator {
  return page.locator('[data-testid="acting-banner"]:visible');
}

/** 我的 -> 长辈模式 on (unless it turned itself on: an 80+ person); waits for the elder class. */
export async function turnOnElderMode(page: Page) {
  await page.getByText('我的', { exact: true }).click();
  await page.getByTestId('page-mine').waitFor();
  if ((await page.locator('.page.elder:visible').count()) === 0)
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
 * Elder mode's floors on the page on screen: text >= 18px and every tap target >= 44px (the same
 * measure as the a11y sweep's, `floorProblems`). The tab bar lives outside the page root.
 */
export async function elderSizeProblems(page: Page, name: string): Promise<string[]> {
  const root = page.locator(`[data-testid="page-${name}"]:visible`);
  await root.waitFor();
  await expect.poll(() => root.getByTestId('loading').count(), { timeout: 10_000 }).toBe(0);
  // Wait for Taro's page transition to end, so the page is measured (and photographed) in place.
  await expect.poll(() => root.evaluate((el) => Math.round(el.getBoundingClientRect().left))).toBe(0);
  return floorProblems(root, { minText: MIN_TEXT_PX, minTap: MIN_TAP_PX });
}

// ---------------------------------------------------------------------------------------------
// Accessibility checks: axe, controls with a role and a name, the way back, size floors.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The visible page root (Taro keeps earlier pages of the stack in the DOM, hidden), once loaded and
 * slid in place. Returns its data-testid (`page-<name>`).
 */
export async function settledPage(page: Page): Promise<Locator> {
  const root = page.locator('[data-testid^="page-"]:visible').last();
  await root.waitFor();
  // Short poll intervals: the sweep settles some 180 pages and must stay under 3 minutes.
  await expect.poll(() => root.getByTestId('loading').count(), { timeout: 10_000, interval: 25 }).toBe(0);
  await expect
    .poll(() => root.evaluate((el) => Math.round(el.getBoundingClientRect().left)), { interval: 25 })
    .toBe(0);
  return root;
}

/**
 * axe-core's critical and serious violations of the page on screen and Taro's title bar (the pages
 * Taro keeps hidden in the stack are left out, which also keeps a run short).
 */
export async function axeProblems(page: Page, root: Locator): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's CSP (no inline scripts) does not apply to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return root.evaluate(async (rootEl) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script
    const axe = (window as any).axe;
    const bar = document.querySelector('#taro-navigation-bar');
    const include = bar ? [rootEl, bar] : [rootEl];
    const result = await axe.run({ include }, { resultTypes: ['violations'] });
    const out: string[] = [];
    for (const v of result.violations as Array<{
      id: string;
      impact: string;
      nodes: Array<{ target: string[]; failureSummary: string; html: string }>;
    }>) {
      if (v.impact !== 'critical' && v.impact !== 'serious') continue;
      for (const n of v.nodes.slice(0, 5))
        out.push(
          `axe ${v.impact} ${v.id}: ${n.html.slice(0, 140)} (${n.failureSummary.split('\n')[1]?.trim()})`,
        );
      if (v.nodes.length > 5) out.push(`axe ${v.id}: and ${v.nodes.length - 5} more`);
    }
    return out;
  });
}

/**
 * Every element of the page (and the title bar) that listens for taps must be a control a screen
 * reader and a keyboard can use: a role, a name and a tab stop. Taro's H5 wrapper binds onClick
 * with addEventListener and keeps the handlers in `el.__events`; libraries that render plain DOM
 * keep them in React's `__reactProps$…`. A wrapper that only stops a tap from reaching the card
 * under it says so with data-tap-passive (so does the parent of a library row that always listens
 * while the control is inside it). Needs axe injected (axeProblems first): its role and
 * name computation is the one screen readers follow.
 */
export async function controlProblems(root: Locator): Promise<string[]> {
  return root.evaluate((rootEl) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script
    const axe = (window as any).axe;
    axe.setup?.();
    const CONTROL_ROLES = new Set([
      'button',
      'checkbox',
      'switch',
      'radio',
      'tab',
      'link',
      'option',
      'menuitem',
      'combobox',
      'textbox',
      'slider',
    ]);
    const listens = (el: Element) => {
      // biome-ignore lint/suspicious/noExplicitAny: Taro's and React's private handler stores
      const any = el as any;
      if (any.__events?.click) return true;
      const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
      return Boolean(key && any[key]?.onClick);
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
    };
    const scope = [rootEl, document.querySelector('#taro-navigation-bar')].filter(Boolean) as Element[];
    const problems: string[] = [];
    for (const s of scope)
      for (const el of [s, ...Array.from(s.querySelectorAll('*'))]) {
        // A wrapper that only stops a tap says so with data-tap-passive; so does the wrapper of a
        // library row that always listens (NutUI's Cell) when the control is inside the row.
        const passive =
          el.hasAttribute('data-tap-passive') || el.parentElement?.hasAttribute('data-tap-passive');
        if (!listens(el) || !visible(el) || passive) continue;
        // Inside a control (a library's row inside our tappable wrapper), a tap is that control's.
        const owner = el.parentElement?.closest('[role]');
        if (owner && CONTROL_ROLES.has(owner.getAttribute('role') ?? '')) continue;
        const html = el.outerHTML.slice(0, 120);
        const role = axe.commons.aria.getRole(el) ?? '';
        const vnode = axe.utils.getNodeFromTree(el);
        const name = vnode ? axe.commons.text.accessibleTextVirtual(vnode).trim() : '';
        if (!CONTROL_ROLES.has(role)) problems.push(`control without a role (${role || 'none'}): ${html}`);
        else if (!name) problems.push(`control without a name: ${html}`);
        if ((el as HTMLElement).tabIndex < 0 && el.getAttribute('aria-disabled') !== 'true')
          problems.push(`control not reachable by keyboard: ${html}`);
      }
    // Taro's Picker listens on its own element (not through __events): the field drawn inside it
    // must be the control (its click reaches the picker).
    for (const picker of Array.from(rootEl.querySelectorAll('taro-picker-core'))) {
      const field = picker.querySelector('[role]');
      if (!visible(picker)) continue;
      if (!field || !CONTROL_ROLES.has(axe.commons.aria.getRole(field) ?? ''))
        problems.push(`picker field without a role: ${picker.outerHTML.slice(0, 120)}`);
    }
    return problems;
  });
}

/** A non-tab page shows Taro's title bar with a back (or home) control a screen reader can name. */
export async function backProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bar = document.querySelector('#taro-navigation-bar');
    const shown = (el: Element | null) => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).display !== 'none';
    };
    if (!shown(bar)) return ['no title bar'];
    const controls = ['.taro-navigation-bar-back', '.taro-navigation-bar-home']
      .map((s) => bar!.querySelector(s))
      .filter((el) => shown(el));
    if (controls.length === 0) return ['no back control in the title bar'];
    return controls
      .filter((el) => el!.getAttribute('role') !== 'button' || !el!.getAttribute('aria-label'))
      .map((el) => `back control without role/name: ${el!.outerHTML.slice(0, 100)}`);
  });
}

/**
 * Size floors of the page on screen: text that holds characters directly >= minText px, and every
 * tap target (Taro buttons, switches, anything that listens for taps or has a control role) at
 * least minTap px high and wide. The tab bar lives outside the page root and is not checked.
 */
export async function floorProblems(
  root: Locator,
  { minText, minTap }: { minText: number; minTap: number },
): Promise<string[]> {
  return root.evaluate(
    (el, [minTextPx, minTapPx]) => {
      const problems: string[] = [];
      const visible = (node: Element) => {
        const r = node.getBoundingClientRect();
        const cs = getComputedStyle(node);
        return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
      };
      const describe = (node: Element) =>
        `<${node.tagName.toLowerCase()} class="${node.className}"> "${(node.textContent ?? '').trim().slice(0, 30)}"`;
      for (const node of Array.from(el.querySelectorAll('*'))) {
        const text = Array.from(node.childNodes)
          .filter((c) => c.nodeType === Node.TEXT_NODE)
          .map((c) => c.textContent ?? '')
          .join('')
          .trim();
        if (!text || !visible(node)) continue;
        const size = Number.parseFloat(getComputedStyle(node).fontSize);
        if (size < minTextPx) problems.push(`text ${size}px ${describe(node)}`);
      }
      const listens = (node: Element) => {
        // biome-ignore lint/suspicious/noExplicitAny: Taro's private handler store
        return Boolean((node as any).__events?.click);
      };
      const targets = new Set<Element>(
        Array.from(
          el.querySelectorAll(
            'taro-button-core, button, .nut-switch, [role="button"], [role="checkbox"], [role="switch"], [role="radio"], [role="tab"], [role="link"]',
          ),
        ),
      );
      for (const node of Array.from(el.querySelectorAll('*'))) if (listens(node)) targets.add(node);
      for (const node of targets) {
        if (!visible(node) || node.hasAttribute('data-tap-passive')) continue;
        // A target inside another counted target (a label inside a chip) is the same target.
        if (node.parentElement?.closest('taro-button-core, [role="button"]') && !listens(node)) continue;
        const r = node.getBoundingClientRect();
        if (r.height < minTapPx - 0.5 || r.width < minTapPx - 0.5)
          problems.push(`target ${Math.round(r.width)}x${Math.round(r.height)}px ${describe(node)}`);
      }
      return problems;
    },
    [minText, minTap] as const,
  );
}
