import { sql } from 'drizzle-orm';
import type { Db } from './db/client';
import type { SeedContext } from './module';
import { MODULES } from './modules';

/**
 * The demo data: each module's seed step in module order, in one transaction. Idempotent: running
 * it again changes nothing.
 */
export async function seed(
  db: Db,
  now: Date = new Date(),
  opts: { store?: SeedContext['store'] } = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    // One seed at a time even if two processes start together.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(42001)`);
    const ctx: SeedContext = { ids: new Map(), communityId: '', householdIds: [], now, store: opts.store };
    for (const m of MODULES) await m.seed?.(tx, ctx);
  });
}
