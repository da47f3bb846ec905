/**
 * Checkout's floor without HTTP, from a process that is not our server: AMOUNT conditional stock
 * UPDATEs (`stock - 1 ... AND stock >= 1`) on one product over postgres.js, CONCURRENCY in flight.
 * Prints one JSON line: { rps, p50, p99, taken }.
 */
import postgres from 'postgres';
import { closedLoop } from './lib';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const sql = postgres(env('DATABASE_URL'), { max: Number(process.env.POOL ?? 10), onnotice: () => {} });
const productId = env('PRODUCT_ID');
const amount = Number(env('AMOUNT'));
let taken = 0;
const r = await closedLoop(amount, Number(env('CONCURRENCY')), async () => {
  const rows =
    await sql`UPDATE products SET stock = stock - 1 WHERE id = ${productId} AND stock >= 1 RETURNING stock`;
  taken += rows.length;
});
await sql.end({ timeout: 5 });
process.stdout.write(`${JSON.stringify({ ...r, taken })}\n`);
