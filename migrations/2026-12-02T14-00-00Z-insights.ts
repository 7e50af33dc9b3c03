import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * Program insights ask, per person, "first contribution?" and "any contribution in (a, b]?" for
 * thousands of people over millions of events. A partial index holding only contributions (issue or
 * PR opened, comment, review) by people, ordered by person then time, answers each with one index
 * probe, and lets the first contributions be read as a skip scan instead of a sort of every event.
 * Merges are a second, small partial index: "merged someone else's PR" is a maintainer signal.
 *
 * `maintainer_mentions`: who a CODEOWNERS or MAINTAINERS file of a repository names, with the commit
 * of the default branch where each login first appears (read from its history, then kept current by
 * pushes). Logins, lower-cased: the files name people by login, not by id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index events_contributions_idx on events (installation_id, actor_id, occurred_at)
    where kind in ('issue_opened', 'pr_opened', 'comment_created', 'review_submitted', 'review_comment_created')
      and not actor_is_bot`.execute(db);
  await sql`create index events_merges_idx on events (installation_id, actor_id, occurred_at)
    where kind = 'pr_merged'`.execute(db);
  await db.schema
    .createTable("maintainer_mentions")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("login", "text", (c) => c.notNull())
    .addColumn("first_seen_at", "timestamptz", (c) => c.notNull())
    .addColumn("commit_sha", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("maintainer_mentions_pkey", ["installation_id", "repo", "path", "login"])
    .execute();
  await db.schema.createIndex("maintainer_mentions_login_idx").on("maintainer_mentions").columns(["installation_id", "login", "first_seen_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("maintainer_mentions").ifExists().execute();
  await sql`drop index if exists events_merges_idx`.execute(db);
  await sql`drop index if exists events_contributions_idx`.execute(db);
}
