import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { prepareStatements } from './prepared';
import type * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; repositories accept `Db | Tx` so callers decide the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/**
 * postgres.js + drizzle. `max: 1` is required for embedded PGlite (its socket server mixes up
 * results across connections), so the launcher passes it in that mode.
 */
export function createDb(url: string, opts: { max?: number } = {}): DbHandle {
  let closes = 0;
  const sql = postgres(url, {
    max: opts.max ?? 10,
    // A server that takes no connection (a dropped SYN, a full backlog) fails a request in seconds
    // rather than postgres.js's default 30; a refused one fails at once either way.
    connect_timeout: 10,
    // Between attempts to reopen a closed connection; a query waits for its connection's attempt.
    // postgres.js's default grows with every failure in the pool up to 20 s, so a few seconds of
    // restart left requests waiting far past the restart itself; a second is enough to spare a
    // server that is down (each attempt it refuses costs it nothing).
    backoff: (retries: number) => Math.min(0.05 * retries, 1),
    onnotice: () => {},
    // Counted for guardTransactions: whether any connection closed while a transaction ran.
    onclose: () => {
      closes += 1;
    },
    connection: { application_name: 'linli-bff' },
  });
  guardTransactions(sql, () => closes);
  prepareStatements(sql);
  // No `schema`: it only feeds drizzle's relational `db.query` API, which nothing here uses, and
  // it costs every transaction about half a millisecond of CPU building a query builder per table.
  const db = drizzle(sql, { casing: 'snake_case' }) as unknown as Db;
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

type Scope = (tx: postgres.TransactionSql) => unknown;

/** How long a failed transaction body waits to see whether its own connection is the one gone. */
const LOST_CONNECTION_GRACE_MS = 1000;

/**
 * Works around a postgres.js 3.4.9 crash (porsager/postgres#1208, #1154; the fixes #1209/#1215 are
 * not released): when the server goes away in the middle of a transaction, postgres.js answers the
 * failed statement by sending ROLLBACK itself on the connection that just closed, and that write
 * throws from a timer where nothing can catch it, which ends the process; had it been caught, the
 * connection would stay wedged for good. Restarting PostgreSQL under load did this every time.
 *
 * So a transaction body that fails because a connection is gone (isDatabaseUnavailable) does not
 * reject at once. `begin` also waits for its connection to close and rejects then, with the
 * connection's own CONNECTION_CLOSED error: if that happens, the body stays pending for good, so
 * postgres.js sends no ROLLBACK (the server rolled the transaction back with the session). If the
 * transaction's connection is still up after a grace period (the failure came from another
 * connection), the body rejects as usual and the ROLLBACK goes to a live server. The pool reopens
 * a closed connection on its next use. Savepoints are guarded the same way.
 *
 * Nor may a body still running after its connection closed send anything more on it. A body can
 * also resolve while one of its statements failed (checkout sends its statements and
 * returns before their answers); postgres.js then rolls back too. So when any connection of the
 * pool closed while the body ran (only ever during an outage), its result waits one turn of the
 * event loop and, if that closing ended this transaction, stays pending as well.
 */
function guardTransactions(sql: postgres.Sql, closes: () => number): void {
  const guarded =
    (fn: Scope, done: () => boolean): Scope =>
    (tx) => {
      const closesBefore = closes();
      // A body still running when its connection closed (awaiting Redis, say) must not send more:
      // postgres.js would write it to the closed connection. drizzle sends everything by unsafe().
      const unsafe = tx.unsafe.bind(tx);
      (tx as { unsafe: unknown }).unsafe = (...args: Parameters<typeof unsafe>) => {
        if (done()) throw Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' });
        return unsafe(...args);
      };
      const savepoint = tx.savepoint.bind(tx) as (...args: unknown[]) => Promise<unknown>;
      (tx as { savepoint: unknown }).savepoint = (name: unknown, inner?: Scope) =>
        typeof name === 'function'
          ? savepoint(guarded(name as Scope, done))
          : savepoint(name, inner && guarded(inner, done));
      const out = fn(tx);
      return Promise.resolve(Array.isArray(out) ? Promise.all(out) : out).then(
        (value) =>
          closes() === closesBefore
            ? value
            : new Promise((resolve) => setImmediate(() => done() || resolve(value))),
        (err: unknown) =>
          isDatabaseUnavailable(err)
            ? new Promise((_, reject) => {
                setTimeout(() => done() || reject(err), LOST_CONNECTION_GRACE_MS).unref();
              })
            : Promise.reject(err),
      );
    };
  const begin = sql.begin.bind(sql) as (options: string, fn: Scope) => Promise<unknown>;
  (sql as { begin: unknown }).begin = (options: string | Scope, fn?: Scope) => {
    let settled = false;
    const done = () => settled;
    const run =
      typeof options === 'function' ? begin('', guarded(options, done)) : begin(options, guarded(fn!, done));
    run.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    return run;
  };
}

/** Socket-level failures: the server is not there, or went away mid-conversation. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // postgres.js's own names for a connection that closed, timed out connecting or was ended.
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
]);

/**
 * SQLSTATEs that say the server cannot serve now, not that the statement is wrong: class 08
 * (connection exception), 57P01-57P03 (shut down by the administrator or a crash, starting up or
 * shutting down) and 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/**
 * Whether `err` (bare, wrapped by drizzle in `cause`, or an AggregateError of connection attempts)
 * means PostgreSQL is restarting or unreachable, so a retry may well succeed. A transaction cut off
 * before its COMMIT is rolled back by the server; one whose COMMIT was applied but not answered is
 * whole, and a retry finds it (checkout's Idempotency-Key).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
