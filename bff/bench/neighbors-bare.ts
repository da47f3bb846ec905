/**
 * The bare floor of the neighbors feed and search, as a process of its own: plain Fastify and
 * postgres.js running the same query as the BFF (the community's published posts, newest first,
 * one page), without auth, membership, views or schemas around it.
 */
import Fastify from 'fastify';
import postgres from 'postgres';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const sql = postgres(env('DATABASE_URL'), { max: Number(process.env.POOL ?? 10), onnotice: () => {} });
const communityId = env('COMMUNITY_ID');

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ ok: true }));
app.get<{ Querystring: { q?: string } }>('/feed', async (req) => {
  const q = req.query.q;
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await sql`
    SELECT * FROM neighbor_posts
    WHERE community_id = ${communityId} AND status = 'published'
      ${like ? sql`AND search_text ILIKE ${like}` : sql``}
    ORDER BY created_at DESC, id DESC LIMIT 21`;
  return { items: rows.slice(0, 20), more: rows.length > 20 };
});
await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' });
