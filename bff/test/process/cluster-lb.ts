import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP load balancer on loopback, shaped like a real one (nginx, an ALB): round-robin over
 * the backends whose GET /readyz answered 200 at the last check, checked every `checkEveryMs`,
 * keep-alive connections to the backends. It never retries: a request that fails on its backend
 * is answered 502 to the client and counted, so a shutdown that drops anything shows.
 */
export interface LoadBalancer {
  url: string;
  add(backend: string): void;
  remove(backend: string): void;
  /** Backends the last check found ready. */
  healthy(): string[];
  /** Requests forwarded per backend. */
  readonly served: Map<string, number>;
  /** Responses per backend that closed their connection (`Connection: close`, as a draining API sends). */
  readonly closing: Map<string, number>;
  /** Requests the balancer answered 502/503 itself, with why. */
  readonly failures: { backend?: string; error: string }[];
  close(): Promise<void>;
}

export async function startLoadBalancer(opts: { checkEveryMs?: number } = {}): Promise<LoadBalancer> {
  const checkEveryMs = opts.checkEveryMs ?? 100;
  const backends: string[] = [];
  const ready = new Set<string>();
  const served = new Map<string, number>();
  const closing = new Map<string, number>();
  const failures: LoadBalancer['failures'] = [];
  // One pool to the backends, reused across requests as a real balancer's upstream keep-alive is.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  let closed = false;

  const check = (backend: string) =>
    new Promise<boolean>((resolve) => {
      // Health checks on their own short connections, so they never hold a pooled socket.
      const req = request(`${backend}/readyz`, { agent: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(false));
      req.end();
    });
  // Each backend on its own loop, so a slow answer from one never delays noticing another.
  const loops: Promise<void>[] = [];
  const watch = async (backend: string) => {
    while (!closed && backends.includes(backend)) {
      const started = Date.now();
      const ok = await check(backend);
      if (ok && backends.includes(backend)) ready.add(backend);
      else ready.delete(backend);
      await new Promise((r) => setTimeout(r, Math.max(0, checkEveryMs - (Date.now() - started))));
    }
  };

  const fail = (res: ServerResponse, status: number, error: string, backend?: string) => {
    failures.push({ backend, error });
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'BAD_GATEWAY', message: error } }));
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const pool = backends.filter((b) => ready.has(b));
    if (pool.length === 0) return fail(res, 503, 'no healthy backend');
    const backend = pool[next++ % pool.length]!;
    served.set(backend, (served.get(backend) ?? 0) + 1);
    // Hop-by-hop headers stay on their own leg: client to balancer, balancer to backend.
    const { connection: _c, 'keep-alive': _k, ...asked } = req.headers;
    const upstream = request(
      `${backend}${req.url}`,
      { method: req.method, headers: { ...asked, host: new URL(backend).host }, agent },
      (up) => {
        const { connection, 'keep-alive': _k, ...headers } = up.headers;
        if (connection === 'close') closing.set(backend, (closing.get(backend) ?? 0) + 1);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
        up.on('error', (err) => fail(res, 502, `response: ${err.message}`, backend));
      },
    );
    upstream.on('error', (err) =>
      fail(res, 502, `${(err as NodeJS.ErrnoException).code ?? err.message}`, backend),
    );
    req.pipe(upstream);
  };

  const server = createServer(forward);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    add: (b) => {
      if (backends.includes(b)) return;
      backends.push(b);
      loops.push(watch(b));
    },
    remove: (b) => {
      const i = backends.indexOf(b);
      if (i >= 0) backends.splice(i, 1);
      ready.delete(b);
    },
    healthy: () => backends.filter((b) => ready.has(b)),
    served,
    closing,
    failures,
    async close() {
      closed = true;
      await Promise.all(loops);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}
