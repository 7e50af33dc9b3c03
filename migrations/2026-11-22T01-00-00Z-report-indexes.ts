import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * The response-time report lists every waiting request of a program with its age. Waiting requests are
 * a small minority of a program's rows, so a partial index on them lets that query skip the answered
 * ones instead of reading the program's whole range of `requests_program_idx` and filtering it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index requests_waiting_idx on requests (installation_id, program_id, opened_at)
    where latency_seconds is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists requests_waiting_idx`.execute(db);
}
