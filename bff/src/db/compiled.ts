import { type Placeholder, type Query, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from './client';

/**
 * Statements whose text is built once. drizzle builds a statement's SQL text anew on every run,
 * walking every column and chunk of it: on checkout's path that was a fifth of the CPU, though for
 * a statement of fixed shape only the values change. A compiled statement is built once with
 * placeholders where its values go; each run binds the values on whichever handle it is given (the
 * pool or a transaction) and maps the rows the way drizzle's own run does.
 *
 * Only for statements whose shape does not depend on the values (no list whose length varies:
 * `= ANY(:ids)` instead of `IN (...)`).
 */

/** drizzle's internals this relies on (drizzle-orm 0.45, pinned). */
interface BuiltSelect {
  _prepare(): {
    queryString: string;
    params: unknown[];
    fields: unknown;
    joinsNotNullableMap?: Record<string, boolean>;
  };
}
interface Session {
  prepareQuery(
    query: Query,
    fields: unknown,
    name: string | undefined,
    isResponseInArrayMode: boolean,
  ): {
    joinsNotNullableMap?: Record<string, boolean>;
    execute(values: Record<string, unknown>): Promise<unknown>;
  };
}
interface Handle {
  session: Session;
  dialect: { sqlToQuery(sql: SQL): Query };
}

/**
 * A value or the placeholder that stands for it in a compiled statement: the pieces other modules
 * give to a compiled statement (an audit entry, an outbox row, the stock step) take either.
 */
export type Bindable<T> = T | Placeholder;

/** Every value of `V` as its placeholder, named after its key. */
export type Bound<V> = { [K in keyof V]: Bindable<V[K]> };

export type Placeholders<V> = <K extends keyof V & string>(name: K) => Placeholder<K, V[K]>;
const placeholder = ((name: string) => sql.placeholder(name)) as Placeholders<Record<string, unknown>>;

/** A select built by drizzle's query builder, once. */
export function compiledSelect<V extends Record<string, unknown>, Q extends { execute(): Promise<unknown> }>(
  build: (db: DbOrTx, p: Placeholders<V>) => Q,
): (q: DbOrTx, values: V) => Promise<Awaited<ReturnType<Q['execute']>>> {
  let built: { query: Query; fields: unknown; joins?: Record<string, boolean> } | undefined;
  return (q, values) => {
    if (!built) {
      // Prepared by drizzle once (built, not run): its text, parameters and row mapping.
      const once = (build(q, placeholder as Placeholders<V>) as unknown as BuiltSelect)._prepare();
      built = {
        query: unfrozen({ sql: once.queryString, params: once.params }),
        fields: once.fields,
        joins: once.joinsNotNullableMap,
      };
    }
    const prepared = (q as unknown as Handle).session.prepareQuery(
      built.query,
      built.fields,
      undefined,
      true,
    );
    prepared.joinsNotNullableMap = built.joins;
    return prepared.execute(values) as Promise<Awaited<ReturnType<Q['execute']>>>;
  };
}

const ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A compiled statement's values must all be placeholders, or constants of its text. An id among
 * its fixed values is almost surely one drizzle made while building it (a column's `$defaultFn`),
 * which every later run would write again: refused when it is built, not at its second run.
 */
function unfrozen(query: Query): Query {
  const frozen = query.params.find((v) => typeof v === 'string' && ID_LIKE.test(v));
  if (frozen !== undefined)
    throw new Error(`a compiled statement would reuse the id ${frozen} on every run: bind it instead`);
  return query;
}

/** The placeholders for every key of `V` (read a key, get its placeholder). */
export function boundPlaceholders<V extends Record<string, unknown>>(p: Placeholders<V>): Bound<V> {
  return new Proxy({} as Bound<V>, { get: (_, name) => p(name as keyof V & string) });
}

/**
 * The values themselves, for the same definition built and run once (no placeholders): an array
 * stays one value, as its placeholder would be, where drizzle would spread it into a list.
 */
export function boundValues<V extends Record<string, unknown>>(values: V): Bound<V> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = Array.isArray(v) ? sql.param(v) : v;
  return out as Bound<V>;
}

/** A statement written as `sql` (rows come back as the driver gives them), once. */
export function compiledSql<V extends Record<string, unknown>, R>(
  build: (db: DbOrTx, p: Placeholders<V>) => SQL,
): (q: DbOrTx, values: V) => Promise<R[]> {
  let query: Query | undefined;
  return (q, values) => {
    const h = q as unknown as Handle;
    query ??= unfrozen(h.dialect.sqlToQuery(build(q, placeholder as Placeholders<V>)));
    return h.session.prepareQuery(query, undefined, undefined, false).execute(values) as Promise<R[]>;
  };
}
