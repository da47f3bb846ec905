import type postgres from 'postgres';

type Scope = { unsafe: postgres.Sql['unsafe']; savepoint?: unknown };
type Body = (tx: postgres.TransactionSql) => unknown;

/**
 * drizzle sends every query through postgres.js's `unsafe` with `prepare: false`: each statement
 * with parameters is then parsed and described in a round trip of its own before it can run, and
 * none can be pipelined behind another. Named (prepared) statements are parsed once per
 * connection: after that a statement is one Bind/Execute, and statements issued together go out
 * together. The set of statement texts is our code's, so the per-connection cache stays bounded.
 * Applied to the pool, to every transaction and savepoint scope, and to reserved connections.
 */
export function prepareStatements(sql: postgres.Sql): void {
  prepareUnsafe(sql);
  const begin = sql.begin.bind(sql) as (options: string | Body, fn?: Body) => Promise<unknown>;
  (sql as { begin: unknown }).begin = (options: string | Body, fn?: Body) =>
    typeof options === 'function'
      ? begin((tx) => options(inScope(tx)))
      : begin(options, (tx) => fn!(inScope(tx)));
  const reserve = sql.reserve.bind(sql);
  (sql as { reserve: unknown }).reserve = async () => {
    const reserved = await reserve();
    prepareUnsafe(reserved);
    return reserved;
  };
}

function inScope<T extends postgres.TransactionSql>(tx: T): T {
  prepareUnsafe(tx);
  const savepoint = tx.savepoint.bind(tx) as (...args: unknown[]) => Promise<unknown>;
  (tx as { savepoint: unknown }).savepoint = (name: unknown, inner?: Body) =>
    typeof name === 'function'
      ? savepoint((sp: postgres.TransactionSql) => (name as Body)(inScope(sp)))
      : savepoint(name, inner && ((sp: postgres.TransactionSql) => inner(inScope(sp))));
  return tx;
}

function prepareUnsafe(scope: Scope): void {
  const unsafe = scope.unsafe.bind(scope) as (
    q: string,
    p?: unknown[],
    o?: postgres.UnsafeQueryOptions,
  ) => unknown;
  (scope as { unsafe: unknown }).unsafe = (
    query: string,
    params?: unknown[],
    options?: postgres.UnsafeQueryOptions,
  ) =>
    unsafe(
      query,
      params,
      (options as { simple?: boolean } | undefined)?.simple ? options : { ...options, prepare: true },
    );
}
