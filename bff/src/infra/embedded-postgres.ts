/**
 * PostgreSQL without installing PostgreSQL: PGlite (Postgres in WASM) persisted in a directory and
 * served over the wire protocol by pglite-socket, so the app talks to it through its normal
 * postgres.js driver and DATABASE_URL. For `pnpm dev`/`pnpm start` on a bare machine, not for
 * production and not for concurrency tests (PGlite runs one query at a time).
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Clients of the embedded server MUST use a single connection (postgres.js `max: 1`). With more, the
 * socket server interleaves connections and hands one connection another's results (measured: 90 of
 * 100 parallel queries wrong). The server is therefore started with maxConnections 1 and closes any
 * second connection at once; postgres.js does not surface that as an error but waits, so a second
 * pool (or a pool with max > 1) shows up as a hang, never as wrong rows.
 */
export const EMBEDDED_POSTGRES_MAX_CONNECTIONS = 1;

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps its files; created if missing. Reopening an existing dir takes ~0.3 s. */
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * PGlite extensions besides btree_gist and pg_trgm, which the migrations need (care's exclusion
   * constraints; neighbors' substring search).
   */
  extensions?: PGliteOptions['extensions'];
}

export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres — connect with max: EMBEDDED_POSTGRES_MAX_CONNECTIONS. */
  url: string;
  port: number;
  dataDir: string;
  /** Closes the socket server, then PGlite, which flushes its files to dataDir. */
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(opts.dataDir);
  const host = opts.host ?? '127.0.0.1';
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { btree_gist, pg_trgm, ...opts.extensions } });
  const server = new PGLiteSocketServer({
    db,
    host,
    port: opts.port ?? 0,
    maxConnections: EMBEDDED_POSTGRES_MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (e) {
    await db.close();
    throw e;
  }
  // getServerConn() reports the bound "host:port" once listening, including the port the OS chose for 0.
  const port = Number(server.getServerConn().split(':').pop());
  if (!Number.isInteger(port) || port <= 0) {
    await server.stop();
    await db.close();
    throw new Error(`embedded postgres: could not tell the bound port from "${server.getServerConn()}"`);
  }

  let stopped: Promise<void> | null = null;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    port,
    dataDir,
    stop() {
      stopped ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return stopped;
    },
  };
}
