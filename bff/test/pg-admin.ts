import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { MIGRATIONS_DIR } from '../src/db/migrate';

/** The machine's PostgreSQL; tests make and drop their own databases there. */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function dbUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The template's name changes whenever a migration or the seed changes, so it is never stale. */
export function templateName(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  }
  // The demo data and every module's seed step shape the template too.
  const src = fileURLToPath(new URL('../src/', import.meta.url));
  const modules = join(src, 'modules');
  const seeds = [
    join(src, 'demo.ts'),
    join(src, 'seed.ts'),
    ...readdirSync(modules)
      .sort()
      .map((m) => join(modules, m, 'seed.ts'))
      .filter((f) => existsSync(f)),
  ];
  for (const f of seeds) h.update(relative(src, f)).update(readFileSync(f));
  return `linli_tpl_${h.digest('hex').slice(0, 12)}`;
}

export const admin = () => postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });

/** A fresh database cloned from the migrated, seeded template (~100 ms). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  // The creation time in the name lets a later run's sweep tell a killed run's leftovers from a
  // database another run (in parallel) has just cloned and not yet connected to.
  const name = `linli_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  const sql = admin();
  try {
    await sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`);
  } finally {
    await sql.end();
  }
  return {
    url: dbUrl(name),
    async drop() {
      const s = admin();
      try {
        await s.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await s.end();
      }
    },
  };
}
