import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * A mentee who closes their own thread after the first-response SLA has passed no longer withdraws the
 * request: it stays, "closed unanswered", no longer waiting. The waiting index leaves those rows out,
 * as the report's waiting query does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("requests").addColumn("closed_unanswered_at", "timestamptz").execute();
  await sql`drop index if exists requests_waiting_idx`.execute(db);
  await sql`create index requests_waiting_idx on requests (installation_id, program_id, opened_at)
    where latency_seconds is null and closed_unanswered_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists requests_waiting_idx`.execute(db);
  await db.schema.alterTable("requests").dropColumn("closed_unanswered_at").execute();
  await sql`create index requests_waiting_idx on requests (installation_id, program_id, opened_at)
    where latency_seconds is null`.execute(db);
}
