/**
 * The urgent-alert fan-out: a staff member's POST to the last inbox row written, for every
 * verified member of a community (10,000 by default, `BENCH_ALERT_MEMBERS` to change it), through
 * the real path: the outbox, the relay, BullMQ and the community queue's workers writing chunks
 * side by side. The baseline is one bare INSERT ... SELECT of the same rows, in the same run. The
 * API and the worker are the production processes (compiled, each its own); the POST comes from
 * this one.
 */
import { sql } from 'drizzle-orm';
import { communityWorld } from '../test/fixtures/community';
import type { TestApp } from '../test/helper';
import { print } from './lib';
import { startWorker } from './processes';
import { type BenchStack, withServer } from './stack';

const TARGET_S = 10;
const MEMBERS = Number(process.env.BENCH_ALERT_MEMBERS ?? 10_000);

export async function benchAlerts(t: TestApp, stack: BenchStack, only: (part: string) => boolean) {
  if (!only('alerts')) return;
  const households = Math.ceil(MEMBERS / 2);
  const w = await communityWorld(t, { households, perHousehold: 2 });
  const members = households * 2;
  const db = t.deps.db;

  // Baseline: the same rows in one statement, no chunks, no jobs, no counting.
  const members$ = sql`SELECT DISTINCT m.user_id FROM memberships m
    JOIN households h ON h.id = m.household_id JOIN buildings b ON b.id = h.building_id
    JOIN compounds c ON c.id = b.compound_id
    WHERE c.community_id = ${w.communityId} AND m.status = 'approved'`;
  let t0 = performance.now();
  await db.execute(sql`INSERT INTO notifications (id, user_id, kind, title, body, dedupe_key)
    SELECT gen_random_uuid(), user_id, 'bench', '基线', '基线', 'bench.baseline' FROM (${members$}) x`);
  const bareS = (performance.now() - t0) / 1000;
  await db.execute(sql`DELETE FROM notifications WHERE dedupe_key = 'bench.baseline'`);

  const worker = await startWorker(stack.env);
  try {
    await withServer(stack, 'alerts', async (server) => {
      t0 = performance.now();
      const res = await fetch(`${server.url}/v1/staff/community/alerts`, {
        method: 'POST',
        headers: { authorization: w.staff.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ text: '紧急通知：今晚 20:00 起小区停水，请提前储水。' }),
      });
      const body = (await res.json()) as { id: string };
      if (res.status !== 201) throw new Error(`alert: ${res.status} ${JSON.stringify(body)}`);
      const postedS = (performance.now() - t0) / 1000;
      const id = body.id;
      let done: { chunks_left: number; reached: number } | undefined;
      while (performance.now() - t0 < 120_000) {
        [done] = (await db.execute(
          sql`SELECT chunks_left, reached FROM community_alerts WHERE id = ${id}`,
        )) as unknown as { chunks_left: number; reached: number }[];
        if (done?.chunks_left === 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const fanoutS = (performance.now() - t0) / 1000;
      const [rows] = (await db.execute(
        sql`SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = ${`community.alert:${id}`}`,
      )) as unknown as { n: number }[];
      if (rows!.n !== members || done?.reached !== members)
        throw new Error(
          `alert reached ${rows!.n} inbox rows (counted ${done?.reached}) of ${members} members`,
        );
      print(
        `Urgent alert fan-out, ${members} members (chunks of ${t.deps.config.COMMUNITY_FANOUT_CHUNK_SIZE})`,
        [
          { name: 'one bare INSERT ... SELECT (baseline)', rps: members / bareS },
          { name: 'POST -> last inbox row (outbox, BullMQ, chunks)', rps: members / fanoutS },
        ],
        'rows/s',
      );
      console.log(
        `  POST answered in ${(postedS * 1000).toFixed(0)} ms; all ${members} reached in ${fanoutS.toFixed(2)} s ` +
          `(target <= ${TARGET_S} s: ${fanoutS <= TARGET_S ? 'met' : 'MISSED'}); bare insert ${(bareS * 1000).toFixed(0)} ms`,
      );
      if (members >= 10_000 && fanoutS > TARGET_S)
        throw new Error(
          `the alert took ${fanoutS.toFixed(2)} s to reach ${members} members (target ${TARGET_S} s)`,
        );
    });
  } finally {
    await worker.stop();
  }
}
