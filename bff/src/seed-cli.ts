import { loadConfig } from './config';
import { createDb } from './db/client';
import { storeFromConfig } from './modules/uploads';
import { seed } from './seed';

/** `pnpm db:seed`: idempotent demo data against DATABASE_URL. */
const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is not set. `pnpm dev` seeds its embedded database by itself.');
  process.exit(1);
}
const handle = createDb(config.DATABASE_URL, { max: 1 });
const store = storeFromConfig(config);
await seed(handle.db, new Date(), { store });
store.close?.();
await handle.close();
console.log('seed applied');
