import { type Kysely, sql } from "kysely";

/**
 * Frozen in time. One row per id graphile-worker locks jobs by (`locked_by`), touched while its process
 * lives: a job locked by an id whose row has gone stale belonged to a dead process and may be unlocked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("worker_heartbeats")
    .addColumn("worker_id", "text", (c) => c.primaryKey())
    .addColumn("beat_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("worker_heartbeats").execute();
}
