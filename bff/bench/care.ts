/**
 * Care's hot paths: the slot list of one item over 50 caregivers and 14 days, and booking attempts
 * racing for one popular slot. Each is compared with a bare Fastify route doing the same database
 * work without the app around it (bench/care-bare.ts), measured in the same run. The BFF and the
 * baseline each run as their own process; the load comes from this one.
 */
import { uuidv7 } from 'uuidv7';
import type { TestApp } from '../test/helper';
import { burst, CONNECTIONS, load, print, type Row } from './lib';
import { benchResidents } from './market';
import { startBare, startServer } from './processes';
import type { BenchStack } from './stack';

/** The production server's pool (createDb's default); the bare baseline gets the same. */
const POOL = 10;
const CAREGIVERS = 50;
const DAYS = 14;
const ATTEMPTS = Number(process.env.BENCH_BOOKINGS ?? 1000);

export async function benchCare(t: TestApp, stack: BenchStack, only: (part: string) => boolean) {
  if (!only('care')) return;
  const db = t.deps.sql;
  const [place] = await db<{ community_id: string; compound_id: string; household_id: string }[]>`
    SELECT c.community_id, c.id AS compound_id, h.id AS household_id
    FROM households h JOIN buildings b ON b.id = h.building_id JOIN compounds c ON c.id = b.compound_id
    ORDER BY c.name, b.name, h.unit LIMIT 1`;
  const [item] = await db<{ id: string }[]>`SELECT id FROM care_items WHERE code = 'home_bathing'`;
  const [provider] = await db<
    { id: string }[]
  >`SELECT id FROM care_providers WHERE status = 'verified' AND NOT serves_meals LIMIT 1`;
  // 50 caregivers working two shifts six days a week, each already holding a visit a day.
  const carers = Array.from({ length: CAREGIVERS }, (_, i) => ({ id: uuidv7(), user: uuidv7(), i }));
  await db`INSERT INTO users ${db(
    carers.map((c) => ({
      id: c.user,
      phone: `137${String(c.i).padStart(8, '0')}`,
      name: `压测护理员${c.i}`,
    })),
    'id',
    'phone',
    'name',
  )}`;
  await db`INSERT INTO caregivers ${db(
    carers.map((c) => ({
      id: c.id,
      user_id: c.user,
      provider_id: provider!.id,
      name: `压测护理员${c.i}`,
      certifications: JSON.stringify(['bathing']),
    })),
    'id',
    'user_id',
    'provider_id',
    'name',
    'certifications',
  )}`;
  await db`INSERT INTO caregiver_compounds ${db(
    carers.map((c) => ({ caregiver_id: c.id, compound_id: place!.compound_id })),
    'caregiver_id',
    'compound_id',
  )}`;
  const shifts = carers.flatMap((c) =>
    [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
      { id: uuidv7(), caregiver_id: c.id, weekday, start_min: 480, end_min: 720 },
      { id: uuidv7(), caregiver_id: c.id, weekday, start_min: 810, end_min: 1080 },
    ]),
  );
  await db`INSERT INTO caregiver_hours ${db(shifts, 'id', 'caregiver_id', 'weekday', 'start_min', 'end_min')}`;

  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  const elder = await benchElder(t, place!.household_id);
  const headers = { authorization: `Bearer ${elder}` };
  const from = new Date(`${tomorrow}T00:00:00+08:00`);
  const to = new Date(from.getTime() + DAYS * 24 * 3600 * 1000);

  const { config } = t.deps;
  // The production server, compiled, in its own process.
  const bff = await startServer(stack.env);
  const bare = await startBare('care-bare.ts', {
    DATABASE_URL: config.DATABASE_URL!,
    POOL: String(POOL),
    COMMUNITY_ID: place!.community_id,
    COMPOUND_ID: place!.compound_id,
    PROVIDER_ID: provider!.id,
    ITEM_ID: item!.id,
    FROM: from.toISOString(),
    TO: to.toISOString(),
  });
  const base = bff.url;
  const bareUrl = bare.url;
  try {
    const slotsUrl = `${base}/v1/care/items/${item!.id}/slots?date=${tomorrow}&days=${DAYS}`;
    const probe = await fetch(slotsUrl, { headers });
    if (probe.status !== 200) throw new Error(`slots: ${probe.status} ${await probe.text()}`);
    const listed = ((await probe.json()) as { items: unknown[] }).items.length;
    const rows: Row[] = [
      { name: 'bare Fastify + the same 4 reads (baseline)', ...(await load(`${bareUrl}/slots`)) },
      { name: `GET slots (${CAREGIVERS} caregivers x ${DAYS} days)`, ...(await load(slotsUrl, headers)) },
    ];
    print(`Care slots, ${CONNECTIONS} connections (${listed} slots listed)`, rows, 'req/s');
    const single = await p95Of(slotsUrl, headers, 100);
    console.log(`  one caller at a time: p50 ${single.p50} ms, p95 ${single.p95} ms (target p95 <= 50 ms)`);

    // Everyone wants Monday 09:00: 50 caregivers can take 50 of them; the rest hear SLOT_TAKEN.
    const slot = nextMondayNine();
    const tokens = await benchResidents(t, ATTEMPTS, {
      birthDate: '1940-01-01',
      phonePrefix: '135',
      householdId: place!.household_id,
    });
    const bareBook = await burst(`${bareUrl}/book`, ATTEMPTS, () => ({ headers: {}, body: '{}' }));
    const attempts = await burst(
      `${base}/v1/care/bookings`,
      ATTEMPTS,
      (i) => ({
        headers: { authorization: `Bearer ${tokens[i]}` },
        body: JSON.stringify({ itemId: item!.id, startsAt: slot }),
      }),
      [409],
    );
    const [made] = await db<{ n: number }[]>`
      SELECT count(*)::int AS n FROM care_bookings WHERE item_id = ${item!.id} AND starts_at = ${slot}`;
    print(
      `Care bookings, ${ATTEMPTS} attempts at one slot, ${CONNECTIONS} in flight`,
      [
        {
          name: 'bare Fastify + lock caregivers + read (baseline)',
          rps: bareBook.rps,
          p50: bareBook.p50,
          p99: bareBook.p99,
        },
        {
          name: 'POST /v1/care/bookings (201 or 409, per second)',
          rps: attempts.answeredRps,
          p50: attempts.p50,
          p99: attempts.p99,
        },
      ],
      'attempts/s',
    );
    console.log(
      `  ${attempts.ok} booked (201), ${made!.n} stored, one per free caregiver; the rest 409 SLOT_TAKEN`,
    );
    if (attempts.failures.length) throw new Error(`care bookings failed: ${attempts.failures.join('; ')}`);
    if (attempts.answered !== ATTEMPTS)
      throw new Error(`care bookings: ${attempts.answered} of ${ATTEMPTS} answered`);
    const [qualified] = await db<{ n: number }[]>`
      SELECT count(*)::int AS n FROM caregivers c JOIN care_providers p ON p.id = c.provider_id
      WHERE c.active AND p.status = 'verified' AND c.certifications ? 'bathing'
        AND c.id IN (SELECT caregiver_id FROM caregiver_compounds WHERE compound_id = ${place!.compound_id})`;
    const [doubled] = await db<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT caregiver_id FROM care_bookings WHERE starts_at = ${slot}
        GROUP BY caregiver_id HAVING count(*) > 1) d`;
    // One visit per qualified caregiver, no more: every caregiver free at 09:00 is booked, none twice.
    if (made!.n !== attempts.ok || made!.n !== qualified!.n || doubled!.n !== 0)
      throw new Error(
        `care bookings: ${made!.n} stored for ${qualified!.n} caregivers, ${doubled!.n} doubled`,
      );
  } finally {
    await Promise.all([bff.stop(), bare.stop()]);
  }
}

/** Latency of one caller at a time (what an elder waits for), by fetch from this process. */
async function p95Of(url: string, headers: Record<string, string>, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(n - 1, Math.floor(n * q))]! * 10) / 10;
  return { p50: at(0.5), p95: at(0.95) };
}

/** The Monday 09:00 (Shanghai) at least two days ahead, as ISO. */
function nextMondayNine(): string {
  const d = new Date(Date.now() + 2 * 24 * 3600 * 1000);
  while (new Date(`${d.toISOString().slice(0, 10)}T12:00:00+08:00`).getUTCDay() !== 1)
    d.setUTCDate(d.getUTCDate() + 1);
  return new Date(`${d.toISOString().slice(0, 10)}T09:00:00+08:00`).toISOString();
}

async function benchElder(t: TestApp, householdId: string): Promise<string> {
  const [token] = await benchResidents(t, 1, { birthDate: '1938-05-01', phonePrefix: '136', householdId });
  return token!;
}
