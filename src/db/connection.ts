import { mkdir } from "node:fs/promises";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { deadlinePool } from "./deadline.js";
import { lockDataDir } from "./embedded-lock.js";
import { createPglite } from "./embedded-pglite.js";
import { serveEmbedded } from "./embedded-socket.js";
import type { Database } from "./schema.js";

export { EmbeddedDatabaseBusy } from "./embedded-lock.js";

const INT8_OID = 20;
const DATE_OID = 1082;

/** Our own type parsers, scoped to our pool so graphile-worker keeps pg's defaults on its own. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as "text");
  },
};

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Where any other client (graphile-worker, psql) reaches the same database. */
  connectionString: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; unset starts the embedded database. */
  databaseUrl?: string | undefined;
  /** Embedded only: a directory for the data, or `memory://` for a throwaway database. */
  dataDir?: string | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return connect(options.databaseUrl, options.poolSize ?? 10, false, async () => {});
  return openEmbedded(options.dataDir ?? ".data/pglite", options.poolSize ?? 4);
}

async function connect(
  connectionString: string,
  poolSize: number,
  embedded: boolean,
  closeServer: () => Promise<void>,
): Promise<DatabaseHandle> {
  // keepAlive: a server that vanished without closing the connection is noticed, not waited on forever.
  const pool = new pg.Pool({ connectionString, max: poolSize, types, connectionTimeoutMillis: 10_000, keepAlive: true });
  // An idle client losing its server (a Postgres restart) must not crash the process.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: deadlinePool(pool) }) });
  return {
    db,
    pool,
    connectionString,
    embedded,
    async close() {
      await db.destroy();
      await closeServer();
    },
  };
}

/**
 * PGlite behind a wire-protocol server (src/db/embedded-socket.ts), so that pg, kysely and graphile-worker run exactly the code path
 * they run against a real server. One process only: PGlite is a single-user database.
 */
async function openEmbedded(dataDir: string, poolSize: number): Promise<DatabaseHandle> {
  const onDisk = !dataDir.startsWith("memory://");
  if (onDisk) await mkdir(dataDir, { recursive: true });
  const unlock = onDisk ? lockDataDir(dataDir) : () => {};
  const pglite = await createPglite(dataDir).catch((error: unknown) => {
    unlock();
    throw error;
  });
  // Room for our pool and graphile-worker's.
  const server = await serveEmbedded(pglite, { host: "127.0.0.1", maxConnections: poolSize + 8 });
  const connectionString = `postgres://postgres@${server.address}/postgres?sslmode=disable`;
  return connect(connectionString, poolSize, true, async () => {
    await server.close();
    await pglite.close();
    unlock();
  });
}
