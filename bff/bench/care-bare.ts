/**
 * The bare floor of care's two hot paths, as a process of its own: plain Fastify and postgres.js
 * doing the database work of the slot list (its four reads) and of a booking attempt (lock the
 * qualified caregivers, read, commit), none of the app around it.
 */
import Fastify from 'fastify';
import postgres from 'postgres';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const sql = postgres(env('DATABASE_URL'), { max: Number(process.env.POOL ?? 20), onnotice: () => {} });
const communityId = env('COMMUNITY_ID');
const compoundId = env('COMPOUND_ID');
const providerId = env('PROVIDER_ID');
const itemId = env('ITEM_ID');
const from = new Date(env('FROM'));
const to = new Date(env('TO'));

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ ok: true }));
app.get('/slots', async () => {
  const carers = await sql<{ id: string }[]>`
    SELECT c.id, c.provider_id, c.last_booked_at FROM caregivers c JOIN care_providers p ON p.id = c.provider_id
    WHERE c.active AND p.status = 'verified' AND p.community_id = ${communityId}
      AND c.id IN (SELECT caregiver_id FROM caregiver_compounds WHERE compound_id = ${compoundId})
      AND c.certifications ? 'bathing' ORDER BY c.id`;
  const ids = carers.map((c) => c.id);
  const [hours, , busy] = await Promise.all([
    sql`SELECT * FROM caregiver_hours WHERE caregiver_id = ANY(${ids})`,
    sql`SELECT * FROM caregiver_time_off WHERE caregiver_id = ANY(${ids}) AND starts_at < ${to} AND ends_at > ${from}`,
    sql`SELECT caregiver_id, block_start, block_end, compound_id, item_id, local_date FROM care_bookings
        WHERE caregiver_id = ANY(${ids}) AND status IN ('requested', 'confirmed', 'in_service')
          AND block_start < ${to} AND block_end > ${from}`,
  ]);
  return { caregivers: carers.length, hours: hours.length, busy: busy.length };
});
app.post('/book', async () =>
  sql.begin(async (tx) => {
    await tx`SELECT id FROM caregivers WHERE provider_id = ${providerId} ORDER BY id FOR UPDATE`;
    const [row] = await tx`SELECT count(*)::int AS n FROM care_bookings WHERE item_id = ${itemId}`;
    return { n: row!.n };
  }),
);
await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' });
