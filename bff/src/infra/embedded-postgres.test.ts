import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { EMBEDDED_POSTGRES_MAX_CONNECTIONS, startEmbeddedPostgres } from './embedded-postgres';

// One PGlite create costs ~2.3 s and ~840 MB, so the whole lifecycle is one test.
const root = await mkdtemp(join(tmpdir(), 'linli-pglite-'));
afterAll(() => rm(root, { recursive: true, force: true }));

it('serves postgres.js over a socket and persists across restarts', { timeout: 60_000 }, async () => {
  const dataDir = join(root, 'nested', 'data');
  const first = await startEmbeddedPostgres({ dataDir });
  expect(first.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  expect(first.port).toBeGreaterThan(0);

  let sql = postgres(first.url, { max: EMBEDDED_POSTGRES_MAX_CONNECTIONS, onnotice: () => {} });
  await sql`create table notes (id int primary key, body text not null)`;
  await sql`insert into notes ${sql({ id: 1, body: 'hello' })}`;
  await expect(sql`insert into notes values (1, 'dup')`).rejects.toMatchObject({ code: '23505' });
  // Parallel queries on the single connection are serialised, never mixed up.
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => sql`select ${i}::int as n`));
  expect(many.map((r) => r[0]!.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  await sql.end();
  await first.stop();

  const second = await startEmbeddedPostgres({ dataDir });
  sql = postgres(second.url, { max: 1, onnotice: () => {} });
  expect(await sql`select id, body from notes`).toEqual([{ id: 1, body: 'hello' }]);
  await sql.end();
  await second.stop();
});
