import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * Program insights ask, per person, "first contribution?" and "any contribution in (a, b]?" for
 * thousands of people over millions of events. A partial index holding only contributions (issue or
 * PR opened, comment, review) by people, ordered by person then time, answers each with one index
 * probe, and lets the first contributions be read as a skip scan instead of a sort of every event.
 * Merges are a second, small partial index: "merged someone else's PR" is a maintainer signal.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index events_contributions_idx on events (installation_id, actor_id, occurred_at)
    where kind in ('issue_opened', 'pr_opened', 'comment_created', 'review_submitted', 'review_comment_created')
      and not actor_is_bot`.execute(db);
  await sql`create index events_merges_idx on events (installation_id, actor_id, occurred_at)
    where kind = 'pr_merged'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists events_merges_idx`.execute(db);
  await sql`drop index if exists events_contributions_idx`.execute(db);
}
