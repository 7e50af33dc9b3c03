import { type Kysely, sql } from "kysely";

/**
 * Frozen in time. Since requests carry the first mentor's response, the report's waiting list asks for
 * rows without one (`first_mentor_latency_seconds is null`), which the waiting index's predicate
 * (`latency_seconds is null`) does not imply: the report read the program's every request instead. The
 * index now holds the rows either query asks for (waiting for anyone, or for a mentor of the project),
 * so both the report and the dashboard's queue counts read only those.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists requests_waiting_idx`.execute(db);
  await sql`create index requests_waiting_idx on requests (installation_id, program_id, opened_at)
    where (latency_seconds is null or first_mentor_latency_seconds is null) and closed_unanswered_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists requests_waiting_idx`.execute(db);
  await sql`create index requests_waiting_idx on requests (installation_id, program_id, opened_at)
    where latency_seconds is null and closed_unanswered_at is null`.execute(db);
}
