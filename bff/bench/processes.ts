/**
 * The servers under test as processes of their own, while the load comes from the bench process:
 * sharing one event loop with the load generator would squeeze every ratio toward 1.
 *
 * - Ours runs the way production runs it: the compiled build (`scripts/build.mjs --if-stale`, then
 *   `node --enable-source-maps dist/server.js`, or dist/worker.js), NODE_ENV=production, its own
 *   pool and event loop.
 * - The bare baselines (bench/*-bare.ts) are compiled the same way (esbuild, npm packages left
 *   external) and run with plain `node --enable-source-maps`: like against like, no tsx in either.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BFF = fileURLToPath(new URL('..', import.meta.url));
/** Inside bff/node_modules' tree, so the compiled baselines resolve fastify and postgres from bff. */
const BARE_DIST = join(BFF, 'node_modules', '.cache', 'bench-bare');

export interface Served {
  url: string;
  pid: number;
  /** The last few KB of its stdout and stderr. */
  output(tail?: number): string;
  /** SIGTERM, then waits for the exit (the server drains and closes gracefully). */
  stop(): Promise<void>;
}

export interface ProfiledServed extends Served {
  /** Where `--cpu-prof` writes when the process exits; undefined when not profiling. */
  profileDir?: string;
  /** Milliseconds from the spawn to the moment it answered /healthz (start-up done). */
  upAfterMs: number;
}

export async function freePort(): Promise<number> {
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
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`process did not come up at ${url}:\n${log()}`);
}

/**
 * `node <args>` in bff/ with `env` on top of this one. Its stdout and stderr go to a file, as a
 * production process's go to its log collector: the bench process (also the load generator) does
 * not spend its event loop reading a server's log lines.
 */
function launchNode(nodeArgs: string[], env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-proc-'));
  const logFile = join(dir, 'output.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, nodeArgs, {
    cwd: BFF,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  /** The last `tail` characters of what it wrote (all of it with Infinity). */
  const output = (tail = 8000) => {
    try {
      const text = readFileSync(logFile, 'utf8');
      return Number.isFinite(tail) ? text.slice(-tail) : text;
    } catch {
      return '';
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let built = false;
/** Builds bff/dist when stale, once per bench run. */
export function ensureBuild() {
  if (built) return;
  const out = execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
    cwd: BFF,
    encoding: 'utf8',
  });
  if (out.trim()) console.log(out.trim());
  built = true;
}

export interface StartOptions {
  /** `--cpu-prof` into a fresh temporary directory (read it after stop()). */
  profile?: boolean;
}

/** The BFF's HTTP process as production starts it, on `env` (see productionEnv). */
export async function startServer(
  env: Record<string, string>,
  opts: StartOptions = {},
): Promise<ProfiledServed> {
  ensureBuild();
  const port = await freePort();
  const profileDir = opts.profile ? mkdtempSync(join(tmpdir(), 'bench-prof-')) : undefined;
  const spawnedAt = performance.now();
  const p = launchNode(
    [
      '--enable-source-maps',
      ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
      'dist/server.js',
    ],
    { ...env, PORT: String(port), HOST: '127.0.0.1' },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUp(`${url}/healthz`, p.child, p.output);
  } catch (err) {
    await p.stop();
    throw err;
  }
  const upAfterMs = performance.now() - spawnedAt;
  return { url, pid: p.child.pid!, output: p.output, stop: p.stop, profileDir, upAfterMs };
}

/** The BFF's worker process (BullMQ workers, outbox relay) as production starts it. */
export async function startWorker(env: Record<string, string>): Promise<Omit<Served, 'url'>> {
  ensureBuild();
  const p = launchNode(['--enable-source-maps', 'dist/worker.js'], env);
  const deadline = Date.now() + 60_000;
  while (!p.output(Number.POSITIVE_INFINITY).includes('worker running')) {
    if (p.child.exitCode !== null) throw new Error(`worker exited (${p.child.exitCode}):\n${p.output()}`);
    if (Date.now() > deadline) {
      await p.stop();
      throw new Error(`worker did not start:\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { pid: p.child.pid!, output: p.output, stop: p.stop };
}

const compiledBare = new Set<string>();
/** Compiles bench/<script> (TypeScript) to plain ESM with a source map, once per run. */
async function compileBare(script: string): Promise<string> {
  const out = join(BARE_DIST, script.replace(/\.ts$/, '.js'));
  if (compiledBare.has(script)) return out;
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: BFF,
    entryPoints: [join('bench', script)],
    outfile: out,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  compiledBare.add(script);
  return out;
}

/** A bare baseline script of the bench (it listens on PORT and answers GET /healthz), compiled. */
export async function startBare(script: string, env: Record<string, string>): Promise<Served> {
  const file = await compileBare(script);
  const port = await freePort();
  const p = launchNode(['--enable-source-maps', file], { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUp(`${url}/healthz`, p.child, p.output);
  } catch (err) {
    await p.stop();
    throw err;
  }
  return { url, pid: p.child.pid!, output: p.output, stop: p.stop };
}

/** A compiled bench script run to its end (no server): its stdout, parsed as JSON. */
export async function runBare<T>(script: string, env: Record<string, string>): Promise<T> {
  const file = await compileBare(script);
  const p = launchNode(['--enable-source-maps', file], env);
  await new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  const out = p.output();
  await p.stop();
  if (p.child.exitCode !== 0) throw new Error(`${script} exited ${p.child.exitCode}:\n${out}`);
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}
