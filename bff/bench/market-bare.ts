/**
 * The bare floor of the market's hot paths, as a process of its own: plain Fastify and postgres.js,
 * no plugins, no auth, no schemas. GET /products runs the statements listProducts runs for
 * `?communityId=` (the page of products, the shops on it, their pictures when any) and maps nothing;
 * POST /take runs checkout's one deciding statement, the conditional stock UPDATE.
 */
import Fastify from 'fastify';
import postgres from 'postgres';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const sql = postgres(env('DATABASE_URL'), { max: Number(process.env.POOL ?? 10), onnotice: () => {} });
const productId = env('PRODUCT_ID');

/** listProducts' first statement for `?communityId=`: a page of 20, plus one to see if there is more. */
const page = (communityId: string) => sql<{ merchant_id: string; images: string[] }[]>`
  SELECT id, merchant_id, name, category, unit, description, price_fen, original_price_fen, stock,
    per_order_limit, low_stock_threshold, temperature, size_hint, images, on_shelf, sort_order,
    created_at, updated_at
  FROM products
  WHERE on_shelf = true AND merchant_id IN (
    SELECT merchants.id FROM merchants
    INNER JOIN merchant_communities ON merchant_communities.merchant_id = merchants.id
    WHERE merchants.status IN ('open', 'paused') AND merchant_communities.community_id = ${communityId})
  ORDER BY sort_order ASC, id ASC
  LIMIT 21`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ ok: true }));
app.get<{ Querystring: { communityId: string } }>('/products', async (req) => {
  const found = await page(req.query.communityId);
  const rows = found.slice(0, 20);
  const shopIds = [...new Set(rows.map((r) => r.merchant_id))];
  const shops = shopIds.length ? await sql`SELECT * FROM merchants WHERE id IN ${sql(shopIds)}` : [];
  const imageIds = rows.flatMap((r) => r.images).filter((id) => UUID.test(id));
  const images = imageIds.length
    ? await sql`SELECT * FROM uploads WHERE id IN ${sql(imageIds)} AND attached_type = 'product'`
    : [];
  return { items: rows, shops: shops.length, images: images.length, more: found.length > 20 };
});
app.post('/take', async () => {
  const [row] =
    await sql`UPDATE products SET stock = stock - 1 WHERE id = ${productId} AND stock >= 1 RETURNING stock`;
  return { stock: row?.stock ?? null };
});
await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' });
