/**
 * The servers under test as processes of their own: ours started the way production starts it
 * (`src/server.ts`, its own event loop and pool), and bare baselines, while the load comes from the
 * bench process. Sharing one event loop with the load generator would squeeze every ratio toward 1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BFF = fileURLToPath(new URL('..', import.meta.url));

export interface Served {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not come up at ${url}:\n${log()}`);
}

function start(
  args: string[],
  env: Record<string, string>,
  probe: (base: string) => string,
  port: number,
): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: BFF,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-4000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  return waitUp(probe(base), child, () => out).then(() => ({
    url: base,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  }));
}

/** The BFF as production runs it (`src/server.ts`, LOG_LEVEL warn) on the bench's database. */
export async function startBff(env: Record<string, string>): Promise<Served> {
  return start(['src/server.ts'], { LOG_LEVEL: 'warn', ...env }, (b) => `${b}/healthz`, await freePort());
}

/** A bare baseline script of the bench (it listens on PORT and answers GET /healthz). */
export async function startBare(script: string, env: Record<string, string>): Promise<Served> {
  return start([`bench/${script}`], env, (b) => `${b}/healthz`, await freePort());
}
