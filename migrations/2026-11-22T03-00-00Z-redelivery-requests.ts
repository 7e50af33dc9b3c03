import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * One row per webhook delivery GUID the app has asked GitHub to redeliver, claimed before the request
 * is sent: the primary key makes sure that, however many instances run, one of them sends it, once.
 * `outcome` stays null between the claim and the answer; a claim left that way by a crash is repaired
 * by a later run. `requested`: GitHub accepted it. `rejected`: GitHub refused it for good (too old,
 * gone), with GitHub's message in `detail`. `unneeded`: it arrived by other means before the repair.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("redelivery_requests")
    .addColumn("guid", "text", (c) => c.primaryKey())
    .addColumn("delivery_id", "bigint", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("action", "text")
    .addColumn("installation_id", "bigint")
    .addColumn("claimed_at", "timestamptz", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.check(sql`outcome in ('requested', 'rejected', 'unneeded')`))
    .addColumn("detail", "text")
    .addColumn("settled_at", "timestamptz")
    .execute();
  await sql`create index redelivery_requests_pending on redelivery_requests (claimed_at) where outcome is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("redelivery_requests").execute();
}
