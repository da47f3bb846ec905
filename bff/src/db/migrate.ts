import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createDb } from './client';

/**
 * The repository's `migrations/`, found upwards from this module: it runs from `bff/src/db/`
 * (tsx, tests) and from the bundle in `bff/dist/` (production), at different depths.
 */
function findMigrationsDir(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'migrations', 'meta', '_journal.json'))) return join(dir, 'migrations');
    if (dirname(dir) === dir) throw new Error(`no migrations/meta/_journal.json above ${start}`);
  }
}

export const MIGRATIONS_DIR = findMigrationsDir();

/** Applies every pending migration in `migrations/` (the same files on PGlite and PostgreSQL). */
export async function runMigrations(url: string, opts: { max?: number } = {}): Promise<void> {
  const handle = createDb(url, { max: opts.max ?? 1 });
  try {
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await handle.close();
  }
}
