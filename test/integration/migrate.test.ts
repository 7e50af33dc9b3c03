import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createTestDatabase } from "../helpers/db.js";

describe("migrations", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("creates the app's tables and graphile-worker's schema", async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(handle.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["events", "deliveries", "requests", "tasks", "enrolments", "programs", "rosters"]),
    );
    const worker = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.schemata where schema_name = 'graphile_worker'`.execute(handle.db);
    expect(worker.rows[0]?.n).toBe(1);
  });

  it("a second run, and two concurrent runs, have nothing to do", async () => {
    expect((await migrateToLatest(handle.db, handle.connectionString)).applied).toEqual([]);
    const both = await Promise.all([
      migrateToLatest(handle.db, handle.connectionString),
      migrateToLatest(handle.db, handle.connectionString),
    ]);
    expect(both.map((o) => o.applied)).toEqual([[], []]);
  });
});
