/**
 * What the production server under test needs around it, in the bench process: a complete
 * production configuration on the bench's database and Redis prefix, the fake WeChat the test app
 * already runs, and the WeChat Pay simulator as the WeChat Pay API (production takes money only
 * through WeChat Pay). The simulator posts its notifications to the https notify base production
 * requires; they are delivered to whichever server is current.
 */
import { startWechatpaySimulator, type WechatpaySimulator } from '../src/integrations/wechatpay/simulator';
import type { TestApp } from '../test/helper';
import { type ProfiledServed, removeDir, startServer } from './processes';
import { summarizeProfile } from './profile';

export const NOTIFY_BASE = 'https://linli.bench.example.cn';
export const METRICS_TOKEN = 'bench-metrics-token-0123456789';

export interface BenchStack {
  /** The production environment of dist/server.js and dist/worker.js. */
  env: Record<string, string>;
  sim: WechatpaySimulator;
  /** Where the simulator's notifications go (the server currently under test). */
  notifyTo: string | null;
  close(): Promise<void>;
}

export async function benchStack(t: TestApp): Promise<BenchStack> {
  const stack: BenchStack = {
    env: {},
    notifyTo: null,
    sim: undefined as unknown as WechatpaySimulator,
    close: async () => stack.sim.close(),
  };
  stack.sim = await startWechatpaySimulator({
    merchant: { appid: t.wechat.appid },
    deliver: async (req) => {
      if (!stack.notifyTo) return { status: 503, body: 'no server under test' };
      const res = await fetch(req.url.replace(NOTIFY_BASE, stack.notifyTo), {
        method: req.method,
        headers: req.headers,
        body: req.body,
      });
      return { status: res.status, body: await res.text() };
    },
  });
  const { config } = t.deps;
  const m = stack.sim.merchant;
  stack.env = {
    NODE_ENV: 'production',
    // Production's own level (the config default); the lines go to a pipe the bench drains.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    DATABASE_URL: config.DATABASE_URL!,
    REDIS_URL: config.REDIS_URL,
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    JWT_SECRET: config.JWT_SECRET!,
    WECHAT_API_BASE: t.wechat.url,
    WECHAT_APPID: t.wechat.appid,
    WECHAT_SECRET: t.wechat.secret,
    WECHATPAY_API_BASE: stack.sim.url,
    WECHATPAY_MCHID: m.mchid,
    WECHATPAY_APPID: m.appid,
    WECHATPAY_PRIVATE_KEY: m.privateKeyPem,
    WECHATPAY_CERT_SERIAL: m.certSerial,
    WECHATPAY_APIV3_KEY: m.apiV3Key,
    WECHATPAY_VERIFY_MODE: 'public_key',
    WECHATPAY_PUBLIC_KEY: stack.sim.publicKeyPem,
    WECHATPAY_PUBLIC_KEY_ID: stack.sim.publicKeyId,
    WECHATPAY_NOTIFY_BASE: NOTIFY_BASE,
    // Production sets it for its scraper; the soak reads the JS heap from /metrics with it.
    METRICS_TOKEN: METRICS_TOKEN,
    // Sign-in is not what is measured, and the bench signs its residents in many times over.
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  return stack;
}

export const PROFILE = process.env.BENCH_PROFILE === '1' || process.env.BENCH_PROFILE === 'keep';

/**
 * Runs `part` against a fresh production server. With BENCH_PROFILE=1 the server runs under
 * `--cpu-prof`, is stopped gracefully after the part (so it writes its profile) and the profile's
 * top functions are printed under `label`.
 */
export async function withServer<T>(
  stack: BenchStack,
  label: string,
  part: (server: ProfiledServed) => Promise<T>,
): Promise<T> {
  const server = await startServer(stack.env, { profile: PROFILE });
  stack.notifyTo = server.url;
  try {
    return await part(server);
  } finally {
    stack.notifyTo = null;
    await server.stop();
    if (server.profileDir) {
      console.log(`\nCPU profile of the server during: ${label}`);
      // From when it answered: its start-up is not what the part measures.
      console.log(summarizeProfile(server.profileDir, { fromMs: server.upAfterMs }));
      // BENCH_PROFILE=keep leaves the .cpuprofile for a closer look (Chrome DevTools, speedscope).
      if (process.env.BENCH_PROFILE === 'keep') console.log(`  kept in ${server.profileDir}`);
      else removeDir(server.profileDir);
    }
  }
}
