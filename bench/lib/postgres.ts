/**
 * Scratch databases on the bench's PostgreSQL server: created empty and migrated, dropped at the end.
 * The server is `BENCH_DATABASE_URL`, else `postgres://postgres@127.0.0.1:5432/postgres` (the
 * server CI runs the suite on); only the database name in the URL is replaced.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";

export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export function serverUrl(): string {
  return process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
}

export class NoPostgresError extends Error {
  constructor(url: string, cause: unknown) {
    super(`no PostgreSQL at ${redact(url)} (${cause instanceof Error ? cause.message : String(cause)}); set BENCH_DATABASE_URL`, { cause });
    this.name = "NoPostgresError";
  }
}

export interface ScratchDatabase {
  name: string;
  /** Connection string of this database. */
  url: string;
  /** A kysely handle on it (pool of 5), opened on first use. */
  open(): Promise<DatabaseHandle>;
  /** Closes any handle opened here and drops the database; safe to call twice. */
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new NoPostgresError(url, error);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `server_version` and the full `version()` string, or null when no server answers. */
export async function postgresVersion(url = serverUrl()): Promise<{ version: string; full: string } | null> {
  try {
    return await admin(url, async (c) => {
      const row = (await c.query<{ v: string; full: string }>("select current_setting('server_version') as v, version() as full")).rows[0]!;
      return { version: row.v, full: row.full };
    });
  } catch {
    return null;
  }
}

/** Every scratch database created in this process, so an interrupted run can still drop them. */
const live = new Set<ScratchDatabase>();

export async function createScratchDatabase(label: string, url = serverUrl()): Promise<ScratchDatabase> {
  const name = `mt_bench_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${process.pid}_${randomBytes(3).toString("hex")}`;
  await admin(url, (c) => c.query(`create database ${name}`));
  const target = new URL(url);
  target.pathname = `/${name}`;
  let handle: DatabaseHandle | undefined;
  let dropped = false;
  const scratch: ScratchDatabase = {
    name,
    url: target.toString(),
    async open() {
      handle ??= await openDatabase({ databaseUrl: target.toString(), poolSize: 5 });
      return handle;
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      live.delete(scratch);
      if (handle) await handle.close().catch(() => {});
      await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
  live.add(scratch);
  try {
    const db = await scratch.open();
    await migrateToLatest(db.db, db.connectionString);
  } catch (error) {
    await scratch.drop().catch(() => {});
    throw error;
  }
  return scratch;
}

export async function dropAllScratchDatabases(): Promise<void> {
  for (const scratch of [...live]) await scratch.drop().catch(() => {});
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
