/**
 * `node scripts/cold-start.mjs [runs]`: how long the production HTTP process takes from spawn to
 * `/healthz` answering 200 (and to `/readyz` 200, which needs Postgres and Redis), compiled
 * (bff/dist, what production runs) against the TypeScript source through tsx, with tsx's transform
 * cache warm (a second start) and disabled (a first start on a fresh machine). Runs alternate so
 * background load hits every variant alike; medians and minimums are printed, and the CPU time the
 * process had used when /healthz first answered (Linux /proc), which other load on the machine
 * stretches far less than the wall clock.
 *
 * Uses DATABASE_URL (default: the local `postgres` database; a start runs no query) and REDIS_URL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './lib.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bff = resolve(root, 'bff');
const runs = Number(process.argv[2] ?? 5);

const VARIANTS = [
  {
    id: 'compiled',
    name: 'compiled  node --enable-source-maps dist/server.js',
    args: ['--enable-source-maps', 'dist/server.js'],
  },
  // What the source maps cost: node reads each bundle's map as it loads the bundle.
  { name: 'compiled  node dist/server.js (no source maps)', args: ['dist/server.js'] },
  {
    id: 'tsx',
    name: 'tsx       node --import tsx src/server.ts (cache warm)',
    args: ['--import', 'tsx', 'src/server.ts'],
  },
  {
    name: 'tsx       node --import tsx src/server.ts (no cache)',
    args: ['--import', 'tsx', 'src/server.ts'],
    env: { TSX_DISABLE_CACHE: '1' },
  },
];

async function freePort() {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  return port;
}

async function status(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).status;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, all threads) a process has used so far; null off Linux. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

async function startOnce(variant) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, variant.args, {
    cwd: bff,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      // One fixed prefix: repeated runs reuse the few keys a start creates rather than piling up new ones.
      QUEUE_PREFIX: 'linli_coldstart',
      JWT_SECRET: 'c'.repeat(40),
      WECHAT_API_BASE: 'https://api.weixin.qq.com',
      WECHATPAY_MCHID: '1900000001',
      WECHATPAY_PRIVATE_KEY: 'unused-here',
      WECHATPAY_CERT_SERIAL: 'unused-here',
      WECHATPAY_APIV3_KEY: 'k'.repeat(32),
      WECHATPAY_PUBLIC_KEY: 'unused-here',
      WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_unused',
      WECHATPAY_NOTIFY_BASE: 'https://linli.example.cn',
      ...variant.env,
    },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  let healthz;
  let readyz;
  let cpu;
  const deadline = t0 + 60_000;
  while (readyz === undefined) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${variant.name} did not start:\n${err}`);
    }
    if (healthz === undefined) {
      if ((await status(`${base}/healthz`)) === 200) {
        healthz = performance.now() - t0;
        cpu = cpuMs(child.pid);
      }
    } else if ((await status(`${base}/readyz`)) === 200) readyz = performance.now() - t0;
    else await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { healthz, readyz, cpu };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const ms = (x) => `${Math.round(x)} ms`.padStart(8);

const built = await run(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: bff });
if (built !== 0) process.exit(built);
// One unmeasured start each: the OS file cache and tsx's transform cache are warm from here on.
for (const v of VARIANTS) await startOnce(v);
const results = VARIANTS.map(() => []);
for (let i = 0; i < runs; i++) for (const [j, v] of VARIANTS.entries()) results[j].push(await startOnce(v));

process.stdout.write(`\ncold start, spawn -> 200 (${runs} runs each, node ${process.version})\n`);
process.stdout.write(
  `${'variant'.padEnd(56)}  healthz median / min    readyz median / min    CPU at healthz median / min\n`,
);
const line = (xs) => `${ms(median(xs))} / ${ms(Math.min(...xs))}`;
for (const [j, v] of VARIANTS.entries()) {
  const pick = (k) => results[j].map((r) => r[k]);
  const cpu = pick('cpu').every((c) => c !== null) ? line(pick('cpu')) : 'n/a';
  process.stdout.write(
    `${v.name.padEnd(56)}  ${line(pick('healthz'))}    ${line(pick('readyz'))}    ${cpu}\n`,
  );
}
const med = (id, k) => median(results[VARIANTS.findIndex((v) => v.id === id)].map((r) => r[k]));
process.stdout.write(
  `compiled vs tsx with a warm cache: ${(med('tsx', 'healthz') / med('compiled', 'healthz')).toFixed(2)}x faster by the clock` +
    (results[0][0].cpu === null
      ? '\n'
      : `, ${(med('tsx', 'cpu') / med('compiled', 'cpu')).toFixed(2)}x less CPU\n`),
);
