import os from 'node:os';
import autocannon from 'autocannon';

export const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface Row {
  name: string;
  /** Operations per second (requests, orders, jobs: the table says which). */
  rps: number;
  /** Milliseconds; undefined where not measured. */
  p50?: number;
  p99?: number;
}

export interface LoadOptions {
  /** Statuses besides 2xx that are the expected answer (304 to a revalidation). */
  expect?: number[];
  /** Requests per second over all connections (autocannon `overallRate`); unset: as fast as it goes. */
  overallRate?: number;
}

/**
 * A GET under load for DURATION seconds; an unexpected status or a socket error fails the bench.
 * The rate counts every expected answer (2xx and `expect`).
 */
export async function load(
  url: string,
  headers: Record<string, string> = {},
  opts: LoadOptions = {},
): Promise<Omit<Row, 'name'> & { statuses: Record<string, number> }> {
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    headers,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  });
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {}))
    statuses[code] = (s as { count: number }).count;
  const unexpected = Object.entries(statuses).filter(
    ([code]) => !(code.startsWith('2') || opts.expect?.includes(Number(code))),
  );
  if (unexpected.length > 0 || r.errors > 0)
    throw new Error(
      `${url}: statuses ${JSON.stringify(statuses)}, ${r.errors} errors, ${r.timeouts} timeouts`,
    );
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, statuses };
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
  return {
    rps: ok / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok,
    answered,
    answeredRps: answered / seconds,
    failures,
  };
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
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return { rps: amount / seconds, p50: Math.round(at(0.5) * 10) / 10, p99: Math.round(at(0.99) * 10) / 10 };
}

const ms = (v: number | undefined) => (v === undefined ? '-' : String(Math.round(v * 10) / 10)).padStart(8);

export function print(title: string, rows: Row[], unit: string) {
  const base = rows[0]!;
  console.log(`\n${title}`);
  console.log(`  ${'path'.padEnd(56)} ${unit.padStart(10)}   p50 ms   p99 ms   ratio to baseline`);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(56)} ${r.rps.toFixed(0).padStart(10)} ${ms(r.p50)} ${ms(r.p99)}   ${(r.rps / base.rps).toFixed(2)}x`,
    );
  }
}

/** A target line: PASS or FAIL, never a throw (the figures are what they are on this machine). */
export function target(text: string, pass: boolean): boolean {
  console.log(`  target: ${text.padEnd(60)} ${pass ? 'PASS' : 'FAIL'}`);
  return pass;
}

/** Date, cores, CPU and Node, so a figure can be quoted with the machine it came from. */
export function machineHeader(): string {
  const cpus = os.cpus();
  return `bench ${new Date().toISOString()} | nproc ${os.availableParallelism()} | ${cpus[0]?.model ?? 'unknown CPU'} | Node ${process.version} | ${os.platform()} ${os.release()}`;
}
