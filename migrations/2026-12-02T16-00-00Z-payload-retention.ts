import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * Payload retention trims, every night, the events older than the roster's `privacy.payloadRetention`
 * that still hold free text or other people's logins (a title, a link, an assignee's or reviewer's
 * login). Only those are in this partial index, by installation and time, so the nightly run reads
 * what is left to trim (and at most each thread's current title, which is kept) instead of every event.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index events_untrimmed_idx on events (installation_id, occurred_at)
    where data ?| array['title', 'url'] or (data->'assignee') ? 'login' or (data->'requestedReviewer') ? 'login'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists events_untrimmed_idx`.execute(db);
}
