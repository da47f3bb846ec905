import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startWorkers, type WorkerRuntime } from '../../bff/src/jobs/workers';
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
