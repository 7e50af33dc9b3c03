import { type Kysely, sql } from "kysely";

/**
 * Frozen in time. Under `responders: admins|anyone` the first response may come from someone who is not
 * one of the project's mentors; per-mentor figures need the first mentor's response as well. Rows stored
 * before this column existed get their response copied when its responder mentors the project, which is
 * what derivation would have found; the next re-derivation fills in the rest.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("requests")
    .addColumn("first_mentor_at", "timestamptz")
    .addColumn("first_mentor_id", "bigint")
    .addColumn("first_mentor_login", "text")
    .addColumn("first_mentor_latency_seconds", "double precision")
    .execute();
  await sql`
    update requests r
    set first_mentor_at = r.responded_at, first_mentor_id = r.responder_id,
        first_mentor_login = r.responder_login, first_mentor_latency_seconds = r.latency_seconds
    where r.responder_id is not null and exists (
      select 1 from enrolments e
      where e.installation_id = r.installation_id and e.program_id = r.program_id and e.project_id = r.project_id
        and e.role = 'mentor' and e.person_id = r.responder_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("requests")
    .dropColumn("first_mentor_at")
    .dropColumn("first_mentor_id")
    .dropColumn("first_mentor_login")
    .dropColumn("first_mentor_latency_seconds")
    .execute();
}
