import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createDb } from './client';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** Applies every pending migration in `migrations/` (the same files on PGlite and PostgreSQL). */
export async function runMigrations(url: string, opts: { max?: number } = {}): Promise<void> {
  const handle = createDb(url, { max: opts.max ?? 1 });
  try {
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await handle.close();
  }
}
