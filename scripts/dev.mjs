/**
 * `pnpm dev`: the BFF in watch mode (HTTP + workers, embedded defaults) and the H5 app on Taro's dev
 * server with live reload; the dev server proxies /v1 to the BFF so the app needs no CORS.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { banner, start, waitForHttp } from './lib.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const port = process.env.PORT ?? '3000';
const h5Port = process.env.H5_PORT ?? '10086';

start('pnpm', ['--filter', 'bff', 'dev'], { cwd: root, env: { ...process.env, PORT: port } });
start('pnpm', ['--filter', 'miniapp', 'dev:h5'], {
  cwd: root,
  env: { ...process.env, H5_PORT: h5Port, BFF_ORIGIN: `http://127.0.0.1:${port}` },
});
const [api, h5] = await Promise.all([
  waitForHttp(`http://127.0.0.1:${port}/healthz`),
  waitForHttp(`http://127.0.0.1:${h5Port}/`),
]);
if (api && h5) {
  banner([
    `Linli dev is running. Open the H5 app in a browser: http://127.0.0.1:${h5Port}/`,
    `API: http://127.0.0.1:${port}/docs  (edits reload the BFF and the page)`,
  ]);
}
