import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { type Bound, boundPlaceholders, boundValues, compiledSql } from '../../db/compiled';
import { writeLanes } from '../../db/write-lanes';
import { type OutboxRow, outboxEntries, outboxEntry } from '../../jobs/outbox';
import { type AuditRow, auditEntries, auditEntry } from '../audit';
import { type Reserved, stockLines, takeStockStatement } from '../products';
import type { NewOrder } from './hooks';
import { orderExpireJob } from './jobs';
import { nextNumberStatement } from './numbers';

export interface Written {
  row: { createdAt: Date; updatedAt: Date; numberSeq: number };
  /** The stock each line took (only read back the careful way). */
  taken: Reserved[];
}

/** Everything an order's write binds: the same names in the compiled statement and the built one. */
export interface WriteValues extends Record<string, unknown> {
  orderId: string;
  userId: string;
  placedBy: string;
  merchantId: string;
  status: NewOrder['status'];
  itemsFen: number;
  deliveryFeeFen: number;
  totalFen: number;
  deliveryMode: NewOrder['deliveryMode'];
  householdId: string | null;
  note: string | null;
  pickupCode: string;
  payBy: string;
  numberDay: string;
  key: string;
  hash: string;
  /** The lines as written (the order's own line order). */
  lineCount: number;
  lineProductIds: string[];
  lineNames: string[];
  lineUnits: string[];
  linePrices: number[];
  lineQuantities: number[];
  /** The lines as the stock step takes them (product-id order). */
  stockProductIds: string[];
  stockQuantities: number[];
  eventId: string;
  actorId: string;
  onBehalfOf: string | null;
  /** Wait for the stock step's answer (and so raise the low-stock alert) instead of failing. */
  careful: boolean;
  auditData: Record<string, unknown>;
  auditId: string;
  outboxId: string;
  expirePayload: { orderId: string };
  expireDelayMs: number;
}

interface WriteRow {
  created_at: string;
  updated_at: string;
  number_seq: number;
  taken: string | TakenRow[] | null;
}

/**
 * The whole order in one statement: the key's claim (with its link to the order), the shop's day
 * counter, the order with its number, its lines, its first timeline entry, its audit entry, its
 * expiry job's outbox row, what a delivery mode's step records (`extra`), and the stock. Foreign
 * keys between them are checked at the statement's end, when all rows exist. It fails itself (and
 * so writes nothing) when the key was already claimed ('replay'; the claim waits for a concurrent
 * claim's commit), when a line found too little stock ('short', with the product ids that did find
 * theirs), and, unless careful, when a line would cross its product's low-stock threshold
 * ('threshold').
 *
 * Every value is bound (lines as arrays), so its text does not depend on the order: without a
 * step it is built once, with placeholders, and only bound afterwards. Building it anew on every
 * order was a tenth of checkout's CPU. A step's record carries its own values, so an order with
 * one (a locker order) is built each time from the same definition.
 */
function orderStatement(q: DbOrTx, v: Bound<WriteValues>, extra: Returning[]): SQL {
  const alongside = [
    auditEntry(
      q,
      { actorId: v.actorId, onBehalfOf: v.onBehalfOf },
      'order.created',
      { type: 'order', id: v.orderId },
      v.auditData,
      v.auditId,
    ),
    outboxEntry(q, orderExpireJob, v.expirePayload, { delayMs: v.expireDelayMs, id: v.outboxId }),
    ...extra,
  ].map((s, n) => ({ name: sql.raw(`x${n}`), statement: s.returning() }));
  // Every CTE is read by the select at the end, in the order they are meant to run: a data-modifying
  // CTE runs when it is first read (one nobody reads runs after the whole select). The rows every
  // order of the shop queues on (the stock, then the day counter) come last, so they stay locked
  // for the order row, the foreign-key checks and the commit only, not for the rest of the write.
  return sql`
    WITH k AS (
      INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)
      VALUES (${v.userId}, ${v.key}, ${v.hash}, ${v.orderId})
      ON CONFLICT DO NOTHING RETURNING order_id),
    i AS (
      INSERT INTO order_items (order_id, product_id, name, unit, price_fen, quantity)
      SELECT ${v.orderId}::uuid, l.* FROM unnest(${v.lineProductIds}::uuid[], ${v.lineNames}::text[],
        ${v.lineUnits}::text[], ${v.linePrices}::int[], ${v.lineQuantities}::int[]) AS l
      RETURNING product_id),
    e AS (
      INSERT INTO order_events (id, order_id, event, from_status, to_status, actor_id)
      VALUES (${v.eventId}, ${v.orderId}, 'create', NULL, ${v.status}, ${v.actorId})
      RETURNING id)
    ${sql.join(alongside.map((a) => sql`, ${a.name} AS ${a.statement}`))},
    t AS (${takeStockStatement(v.merchantId, { productIds: v.stockProductIds, quantities: v.stockQuantities })}),
    n AS (${nextNumberStatement(v.merchantId, v.numberDay)}),
    o AS (
      INSERT INTO orders (id, user_id, placed_by, merchant_id, status, items_fen, delivery_fee_fen,
        total_fen, delivery_mode, household_id, note, pickup_code, pay_by, number_day, number_seq)
      VALUES (${v.orderId}, ${v.userId}, ${v.placedBy}, ${v.merchantId}, ${v.status}, ${v.itemsFen},
        ${v.deliveryFeeFen}, ${v.totalFen}, ${v.deliveryMode}, ${v.householdId}, ${v.note},
        ${v.pickupCode}, ${v.payBy}, ${v.numberDay}, (SELECT seq FROM n))
      RETURNING created_at, updated_at, number_seq)
    SELECT CASE
        WHEN r.claimed = 0 THEN linli_fail('replay')
        WHEN r.took < ${v.lineCount}::int THEN linli_fail('short', r.took_ids)
        WHEN NOT ${v.careful}::boolean AND r.crossed THEN linli_fail('threshold')
      END AS failed,
      r.created_at, r.updated_at, r.number_seq,
      CASE WHEN ${v.careful}::boolean THEN r.taken END AS taken
    FROM (SELECT
        (SELECT count(*) FROM k) AS claimed,
        (SELECT count(*) FROM i) + (SELECT count(*) FROM e)
          ${sql.join(alongside.map((a) => sql` + (SELECT count(*) FROM ${a.name})`))} AS written,
        (SELECT count(*) FROM t) AS took,
        (SELECT string_agg(product_id::text, ',') FROM t) AS took_ids,
        EXISTS (SELECT FROM t WHERE stock <= low_stock_threshold
          AND stock + quantity > low_stock_threshold) AS crossed,
        (SELECT json_agg(t) FROM t) AS taken,
        (SELECT created_at FROM o) AS created_at,
        (SELECT updated_at FROM o) AS updated_at,
        (SELECT number_seq FROM o) AS number_seq
      OFFSET 0) AS r`;
}

/** A statement another module gives to run inside the order's (an insert: it says what it wrote). */
export type Returning = { returning(): SQLWrapper };

const compiledOrderWrite = compiledSql<WriteValues, WriteRow>((db, p) =>
  orderStatement(db, boundPlaceholders(p), []),
);

/**
 * Writes the order. A plain order sent on the pool (not careful, no step of another module) goes
 * through its shop's lane: while one write of the shop's day is in flight, the orders that arrive
 * meanwhile are written together by the next statement (`batchStatement`), which takes the hot
 * rows' locks once for all of them. Each order was checked on its own before it got here; when the
 * batch fails (one of them short, a replayed key, the threshold crossed), each is written alone.
 */
export async function writeOrder(
  q: DbOrTx,
  values: WriteValues,
  extra: Returning[],
  pooled: boolean,
): Promise<Written> {
  if (pooled && !extra.length && !values.careful)
    return lanesOf(q)(`${values.merchantId}/${values.numberDay}`, values);
  return writeAlone(q, values, extra);
}

async function writeAlone(q: DbOrTx, values: WriteValues, extra: Returning[]): Promise<Written> {
  const [row] = extra.length
    ? ((await q.execute(orderStatement(q, boundValues(values), extra))) as unknown as WriteRow[])
    : await compiledOrderWrite(q, values);
  const taken = typeof row!.taken === 'string' ? (JSON.parse(row!.taken) as TakenRow[]) : (row!.taken ?? []);
  return {
    row: {
      createdAt: new Date(row!.created_at),
      updatedAt: new Date(row!.updated_at),
      numberSeq: row!.number_seq,
    },
    taken: taken.map((t) => ({
      productId: t.product_id,
      stock: t.stock,
      lowStockThreshold: t.low_stock_threshold,
      name: t.name,
      quantity: t.quantity,
    })),
  };
}

interface TakenRow {
  product_id: string;
  stock: number;
  low_stock_threshold: number;
  name: string;
  quantity: number;
}

/** The most orders one combined statement writes. */
const BATCH_MAX = 32;

const lanes = new WeakMap<DbOrTx, (lane: string, values: WriteValues) => Promise<Written>>();

/** One set of lanes per pool (tests run several apps, each with its own, in one process). */
function lanesOf(db: DbOrTx) {
  let of = lanes.get(db);
  if (!of) {
    of = writeLanes<WriteValues, Written>({
      one: (v) => writeAlone(db, v, []),
      many: (vs) => writeBatch(db, vs),
      max: BATCH_MAX,
    });
    lanes.set(db, of);
  }
  return of;
}

/** What the combined statement binds: its orders, lines, audit entries and jobs as JSON rows. */
interface BatchValues extends Record<string, unknown> {
  merchantId: string;
  numberDay: string;
  count: number;
  orders: string;
  lines: string;
  audits: string;
  jobs: string;
  /** The lines' stock summed per product, in product-id order (as `takeStockStatement` takes it). */
  stockProductIds: string[];
  stockQuantities: number[];
}

interface BatchRow {
  written: string | { id: string; created_at: string; updated_at: string; number_seq: number }[];
}

/**
 * Several orders of one shop and day in one statement, the same writes as `orderStatement` in the
 * same order, for all of them: their keys, lines, first timeline entries, audit entries and expiry
 * jobs, then the stock for the lines' sums, then `count` numbers from the day's counter and the
 * orders, numbered in the order they came. It fails whole ('batch') unless every key was new and
 * every product had stock for the sum without crossing its low-stock threshold.
 */
const compiledBatchWrite = compiledSql<BatchValues, BatchRow>(
  (_db, p) => sql`
    WITH b AS (
      SELECT * FROM jsonb_to_recordset(${p('orders')}::jsonb) AS b (pos int, id uuid, user_id uuid,
        placed_by uuid, status order_status, items_fen int, delivery_fee_fen int, total_fen int, delivery_mode delivery_mode,
        household_id uuid, note text, pickup_code text, pay_by timestamptz, key text,
        request_hash text, event_id uuid, actor_id uuid)),
    k AS (
      INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)
      SELECT user_id, key, request_hash, id FROM b
      ON CONFLICT DO NOTHING RETURNING order_id),
    i AS (
      INSERT INTO order_items (order_id, product_id, name, unit, price_fen, quantity)
      SELECT l.* FROM jsonb_to_recordset(${p('lines')}::jsonb)
        AS l (order_id uuid, product_id uuid, name text, unit text, price_fen int, quantity int)
      RETURNING product_id),
    e AS (
      INSERT INTO order_events (id, order_id, event, from_status, to_status, actor_id)
      SELECT event_id, id, 'create', NULL::order_status, status, actor_id FROM b
      RETURNING id),
    x0 AS (${auditEntries('order.created', 'order', p('audits')).returning()}),
    x1 AS (${outboxEntries(orderExpireJob, p('jobs')).returning()}),
    t AS (${takeStockStatement(p('merchantId'), { productIds: p('stockProductIds'), quantities: p('stockQuantities') })}),
    n AS (${nextNumberStatement(p('merchantId'), p('numberDay'), p('count'))}),
    o AS (
      INSERT INTO orders (id, user_id, placed_by, merchant_id, status, items_fen, delivery_fee_fen,
        total_fen, delivery_mode, household_id, note, pickup_code, pay_by, number_day, number_seq)
      SELECT id, user_id, placed_by, ${p('merchantId')}::uuid, status, items_fen,
        delivery_fee_fen, total_fen, delivery_mode, household_id, note, pickup_code, pay_by,
        ${p('numberDay')}, (SELECT seq FROM n) - ${p('count')}::int + pos FROM b
      RETURNING id, created_at, updated_at, number_seq)
    SELECT CASE
        WHEN r.claimed < ${p('count')}::int OR r.took < cardinality(${p('stockProductIds')}::uuid[])
          OR r.crossed THEN linli_fail('batch')
      END AS failed, r.written
    FROM (SELECT
        (SELECT count(*) FROM k) AS claimed,
        (SELECT count(*) FROM i) + (SELECT count(*) FROM e) + (SELECT count(*) FROM x0)
          + (SELECT count(*) FROM x1) AS lines,
        (SELECT count(*) FROM t) AS took,
        EXISTS (SELECT FROM t WHERE stock <= low_stock_threshold
          AND stock + quantity > low_stock_threshold) AS crossed,
        (SELECT json_agg(json_build_object('id', id, 'created_at', created_at,
          'updated_at', updated_at, 'number_seq', number_seq)) FROM o) AS written
      OFFSET 0) AS r`,
);

async function writeBatch(q: DbOrTx, batch: WriteValues[]): Promise<Written[]> {
  const first = batch[0]!;
  const sums = new Map<string, number>();
  for (const v of batch)
    v.stockProductIds.forEach((id, n) => {
      sums.set(id, (sums.get(id) ?? 0) + v.stockQuantities[n]!);
    });
  const stock = stockLines([...sums].map(([productId, quantity]) => ({ productId, quantity })));
  const [row] = await compiledBatchWrite(q, {
    merchantId: first.merchantId,
    numberDay: first.numberDay,
    count: batch.length,
    orders: JSON.stringify(
      batch.map((v, n) => ({
        pos: n + 1,
        id: v.orderId,
        user_id: v.userId,
        placed_by: v.placedBy,
        status: v.status,
        items_fen: v.itemsFen,
        delivery_fee_fen: v.deliveryFeeFen,
        total_fen: v.totalFen,
        delivery_mode: v.deliveryMode,
        household_id: v.householdId,
        note: v.note,
        pickup_code: v.pickupCode,
        pay_by: v.payBy,
        key: v.key,
        request_hash: v.hash,
        event_id: v.eventId,
        actor_id: v.actorId,
      })),
    ),
    lines: JSON.stringify(
      batch.flatMap((v) =>
        v.lineProductIds.map((productId, n) => ({
          order_id: v.orderId,
          product_id: productId,
          name: v.lineNames[n],
          unit: v.lineUnits[n],
          price_fen: v.linePrices[n],
          quantity: v.lineQuantities[n],
        })),
      ),
    ),
    audits: JSON.stringify(
      batch.map(
        (v): AuditRow => ({
          id: v.auditId,
          actorId: v.actorId,
          onBehalfOf: v.onBehalfOf,
          subjectId: v.orderId,
          data: v.auditData,
        }),
      ),
    ),
    jobs: JSON.stringify(
      batch.map(
        (v): OutboxRow<typeof orderExpireJob.payload> => ({
          id: v.outboxId,
          payload: v.expirePayload,
          delayMs: v.expireDelayMs,
        }),
      ),
    ),
    stockProductIds: stock.productIds,
    stockQuantities: stock.quantities,
  });
  const written = typeof row!.written === 'string' ? JSON.parse(row!.written) : row!.written;
  const byId = new Map((written as Exclude<BatchRow['written'], string>).map((w) => [w.id, w]));
  return batch.map((v) => {
    const w = byId.get(v.orderId)!;
    return {
      row: { createdAt: new Date(w.created_at), updatedAt: new Date(w.updated_at), numberSeq: w.number_seq },
      taken: [],
    };
  });
}
