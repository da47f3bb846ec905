import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { type Config, ConfigError, loadConfig, persistedJwtSecret } from './config';
import { createDb } from './db/client';
import { runMigrations } from './db/migrate';
import { ensureRedis } from './infra/embedded-redis';
import { startFakeWechat } from './integrations/wechat/fake-server';
import { startWechatpaySimulator } from './integrations/wechatpay/simulator';
import { storeFromConfig } from './modules/uploads';
import { openRuntime } from './runtime';
import { seed } from './seed';
import { startWorkers } from './workers';

export type Role = 'all' | 'server' | 'worker';

const say = (line: string) => process.stdout.write(`[linli] ${line}\n`);

/**
 * One launcher for every way Linli runs. `all` (pnpm dev / pnpm start) serves HTTP and runs the
 * workers in one process and fills in anything missing with embedded parts: PGlite for Postgres,
 * a private redis-server, the fake WeChat server. Production runs `server` and `worker` apart,
 * with every service configured.
 */
export async function launch(role: Role): Promise<void> {
  let config: Config;
  try {
    // An embedded or development install without a key keeps a random one with its data.
    if (!process.env.JWT_SECRET && process.env.NODE_ENV !== 'production')
      process.env.JWT_SECRET = persistedJwtSecret(process.env.PGLITE_DATA_DIR || '.data/pglite');
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const stops: Array<() => Promise<void>> = [];
  const dev = config.NODE_ENV !== 'production';

  let dbMax: number | undefined;
  if (!config.DATABASE_URL) {
    // Loaded only when used: a production start does not pay for PGlite's module graph.
    const { EMBEDDED_POSTGRES_MAX_CONNECTIONS, startEmbeddedPostgres } = await import(
      './infra/embedded-postgres'
    );
    const pg = await startEmbeddedPostgres({ dataDir: config.PGLITE_DATA_DIR });
    stops.push(pg.stop);
    config = { ...config, DATABASE_URL: pg.url };
    dbMax = EMBEDDED_POSTGRES_MAX_CONNECTIONS;
    say(`embedded PostgreSQL (PGlite) data in ${pg.dataDir}, listening at ${pg.url}`);
  }

  try {
    const redis = await ensureRedis(config.REDIS_URL);
    stops.push(redis.stop);
    if (redis.embedded)
      say(`nothing answered at ${config.REDIS_URL}; started a private Redis at ${redis.url}`);
    config = { ...config, REDIS_URL: redis.url };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    await Promise.all(stops.map((s) => s()));
    process.exit(1);
  }

  if (!config.WECHAT_API_BASE) {
    const fake = await startFakeWechat({ appid: config.WECHAT_APPID, secret: config.WECHAT_SECRET });
    stops.push(fake.close);
    config = { ...config, WECHAT_API_BASE: fake.url };
    say(`no WECHAT_API_BASE; using the loopback fake WeChat server at ${fake.url}`);
  }

  // A weapp build pointed at this dev BFF pays through a loopback WeChat Pay (H5 users have no
  // openid and keep devpay). The simulator's merchant keys are made at start and live in memory.
  if (dev && role === 'all' && !config.WECHATPAY_API_BASE && !config.WECHATPAY_MCHID) {
    const sim = await startWechatpaySimulator({
      merchant: { appid: config.WECHATPAY_APPID ?? config.WECHAT_APPID },
    });
    stops.push(sim.close);
    const m = sim.merchant;
    config = {
      ...config,
      WECHATPAY_API_BASE: sim.url,
      WECHATPAY_MCHID: m.mchid,
      WECHATPAY_APPID: m.appid,
      WECHATPAY_PRIVATE_KEY: m.privateKeyPem,
      WECHATPAY_CERT_SERIAL: m.certSerial,
      WECHATPAY_APIV3_KEY: m.apiV3Key,
      WECHATPAY_VERIFY_MODE: 'public_key',
      WECHATPAY_PUBLIC_KEY: sim.publicKeyPem,
      WECHATPAY_PUBLIC_KEY_ID: sim.publicKeyId,
      WECHATPAY_NOTIFY_BASE:
        config.WECHATPAY_NOTIFY_BASE ??
        `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`,
    };
    say(
      `no WECHATPAY_API_BASE; WeChat Pay goes to the loopback simulator: pay a pending payment at ${sim.url}/_sim/`,
    );
  }

  if (dev && role !== 'worker') {
    await runMigrations(config.DATABASE_URL!, { max: 1 });
    const h = createDb(config.DATABASE_URL!, { max: 1 });
    await seed(h.db, new Date(), { store: storeFromConfig(config) });
    await h.close();
    say('migrations applied, demo data seeded');
  }

  const runtime = openRuntime(config, { dbMax });
  const app = await buildApp(runtime);
  const workers = role === 'server' ? undefined : startWorkers(runtime, app.log);
  if (role !== 'worker') {
    await app.listen({ port: config.PORT, host: config.HOST });
    const base = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
    say(
      `API docs: ${base}/docs   health: ${base}/readyz   queues (operators, read-only): ${base}/admin/queues`,
    );
    if (config.H5_DIST_DIR && existsSync(resolve(config.H5_DIST_DIR, 'index.html'))) {
      say(`Open the Linli H5 app in a browser: ${base}/`);
    }
  } else {
    say('worker running: BullMQ workers and the outbox relay');
  }

  // SIGINT/SIGTERM: drain (an API keeps serving while its balancer moves traffic away), then stop
  // taking requests and jobs, let in-flight ones finish, and close. A crash skips the drain.
  const drainMs = role === 'worker' ? 0 : config.SHUTDOWN_DRAIN_MS;
  closeWithGrace({ delay: drainMs + 15_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    if (signal && drainMs > 0) {
      app.startDraining();
      app.log.info(
        { signal, drainMs },
        'draining: /readyz answers 503, connections close after each response',
      );
      await new Promise((r) => setTimeout(r, drainMs));
    }
    await app.close();
    await workers?.close();
    await runtime.close();
    for (const stop of stops.reverse()) await stop();
  });
}
