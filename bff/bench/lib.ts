import autocannon from 'autocannon';

export const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface Row {
  name: string;
  /** Operations per second (requests, orders, jobs: the table says which). */
  rps: number;
  /** Milliseconds; 0 where not measured. */
  p99: number;
}

/** A GET under load for DURATION seconds; any non-2xx or socket error fails the bench. */
export async function load(url: string, headers: Record<string, string> = {}): Promise<Omit<Row, 'name'>> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

/**
 * Fires exactly `amount` POSTs with CONNECTIONS in flight; `request(i)` gives the i-th request's
 * headers and body (so each can carry its own user and Idempotency-Key). Rate is 2xx answers over
 * the time to the last answer: autocannon itself only stops on its next 1-second tick.
 */
export async function burst(
  url: string,
  amount: number,
  request: (i: number) => { headers: Record<string, string>; body: string },
  /** Answers that are part of the job (a race's losers get 409): counted in `answered`, not failures. */
  expected: number[] = [],
): Promise<Omit<Row, 'name'> & { ok: number; answered: number; answeredRps: number; failures: string[] }> {
  let next = 0;
  let answered = 0;
  const failures: string[] = [];
  const start = performance.now();
  let last = start;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const { headers, body } = request(next++);
          return {
            ...req,
            headers: { ...req.headers, 'content-type': 'application/json', ...headers },
            body,
          };
        },
        onResponse: (status, body) => {
          last = performance.now();
          const fine = (status >= 200 && status <= 299) || expected.includes(status);
          if (fine) answered += 1;
          else if (failures.length < 5) failures.push(`${status} ${body}`);
        },
      },
    ],
  });
  const seconds = (last - start) / 1000;
  const ok = r['2xx'];
  if (r.errors > 0) failures.push(`${r.errors} socket errors, ${r.timeouts} timeouts`);
  return { rps: ok / seconds, p99: r.latency.p99, ok, answered, answeredRps: answered / seconds, failures };
}

/** Runs `op` `amount` times with `concurrency` callers; rate and p99 like `burst`. */
export async function closedLoop(
  amount: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<Omit<Row, 'name'>> {
  let next = 0;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < amount) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0;
  return { rps: amount / seconds, p99: Math.round(p99) };
}

export function print(title: string, rows: Row[], unit: string) {
  const base = rows[0]!;
  console.log(`\n${title}`);
  console.log(`  ${'path'.padEnd(50)} ${unit.padStart(10)}   p99 ms   ratio to baseline`);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(50)} ${r.rps.toFixed(0).padStart(10)} ${String(r.p99).padStart(8)}   ${(r.rps / base.rps).toFixed(2)}`,
    );
  }
}
