import { createDb } from '../src/db/client';
import { runMigrations } from '../src/db/migrate';
import { seed } from '../src/seed';
import { admin, dbUrl, templateName } from './pg-admin';

/**
 * Builds the migrated + seeded template database once per run; each test file clones it. An
 * advisory lock keeps parallel runs (several vitest projects) from building it twice.
 */
export default async function setup() {
  const name = templateName();
  const sql = admin();
  try {
    await sql`SELECT pg_advisory_lock(7707)`;
    const [exists] = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!exists) {
      const building = `${name}_building`;
      await sql.unsafe(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await sql.unsafe(`CREATE DATABASE ${building}`);
      await runMigrations(dbUrl(building));
      const h = createDb(dbUrl(building), { max: 1 });
      await seed(h.db);
      await h.close();
      await sql.unsafe(`ALTER DATABASE ${building} RENAME TO ${name}`);
      await sql.unsafe(`ALTER DATABASE ${name} WITH IS_TEMPLATE true`);
    }
    // Leftovers of runs that were killed before they could clean up.
    const stale = await sql`SELECT datname FROM pg_database WHERE datname LIKE 'linli\\_t\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)`;
    // Only those older than any test run: a parallel run's fresh clone may not be connected yet.
    const cutoff = Math.floor(Date.now() / 1000) - 3 * 3600;
    for (const r of stale) {
      const born = Number(/^linli_t_(\d+)_/.exec(r.datname)?.[1] ?? 0);
      if (born < cutoff) await sql.unsafe(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    }
  } finally {
    await sql`SELECT pg_advisory_unlock(7707)`;
    await sql.end();
  }
}
