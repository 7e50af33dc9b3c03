import { randomBytes } from "node:crypto";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";

/**
 * A migrated, empty database for one test file. With DATABASE_URL set (CI's real PostgreSQL run),
 * a fresh database is created on that server and dropped afterwards, so runs and parallel test
 * files never collide; otherwise an in-memory embedded database.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: "memory://" });
    await migrateToLatest(handle.db, handle.connectionString);
    return handle;
  }
  const empty = await createEmptyPostgresDatabase(serverUrl);
  const handle = await openDatabase({ databaseUrl: empty.url, poolSize: 5 });
  await migrateToLatest(handle.db, handle.connectionString);
  return {
    ...handle,
    async close() {
      await handle.close();
      await empty.drop();
    },
  };
}

/** A fresh database on the server at `serverUrl`, not even migrated. */
export async function createEmptyPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mt_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`) };
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
