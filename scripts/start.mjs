/**
 * `pnpm start`: builds the H5 app and the BFF (bff/dist, only when a source changed), then runs the
 * compiled BFF (HTTP + workers in one process) serving the app from its own origin. With no
 * DATABASE_URL/REDIS_URL/WECHAT_API_BASE it uses embedded parts.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { banner, run, start, waitForHttp } from './lib.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';

if (!process.env.SKIP_H5_BUILD) {
  const code = await run('pnpm', ['--filter', 'miniapp', 'build:h5'], { cwd: root });
  if (code !== 0) process.exit(code);
}
const built = await run(process.execPath, ['bff/scripts/build.mjs', '--if-stale'], { cwd: root });
if (built !== 0) process.exit(built);
// Node itself, not pnpm: signals reach the BFF directly and stack traces map to the TS source.
start(process.execPath, ['--enable-source-maps', 'dist/dev.js'], {
  cwd: resolve(root, 'bff'),
  env: { ...process.env, PORT: port, HOST: host, H5_DIST_DIR: resolve(root, 'miniapp/dist/h5') },
});
const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
if (await waitForHttp(`http://${shown}:${port}/healthz`)) {
  banner([
    `Linli is running. Open the H5 app in a browser: http://${shown}:${port}/`,
    '(phone-sized window; demo accounts are in the README, e.g. resident 13800000010)',
  ]);
}
