import { type Kysely, sql } from "kysely";

/**
 * Frozen in time. Threads the backfill found (by search) and whether their timelines are stored yet:
 * discovery and fetching commit separately, so a crash between them loses nothing and fetches
 * nothing twice. Events keep their thread's node id, so reconciliation can read a thread again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("backfill_threads")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("node_id", "text", (c) => c.notNull())
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("discovered_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("fetched_at", "timestamptz")
    .addPrimaryKeyConstraint("backfill_threads_pk", ["installation_id", "node_id"])
    .execute();
  await db.schema.alterTable("events").addColumn("thread_node_id", "text").execute();
  await sql`create index backfill_threads_pending on backfill_threads (installation_id, discovered_at) where fetched_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("backfill_threads").execute();
  await db.schema.alterTable("events").dropColumn("thread_node_id").execute();
}
