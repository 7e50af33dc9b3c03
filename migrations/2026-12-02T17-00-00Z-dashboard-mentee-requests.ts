import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * The dashboard's mentee page lists one mentee's requests in a program: without this index that reads
 * every request of the program (50,000 on the bench's largest, ~115 ms) to keep a few dozen.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index requests_mentee_idx on requests (installation_id, program_id, mentee_id, opened_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists requests_mentee_idx`.execute(db);
}
