import { loadConfig } from '../config';
import { runMigrations } from './migrate';

/** `pnpm db:migrate`: against DATABASE_URL (start `pnpm dev` for the embedded database instead). */
const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is not set. `pnpm dev` migrates its embedded database by itself.');
  process.exit(1);
}
await runMigrations(config.DATABASE_URL);
console.log('migrations applied');
