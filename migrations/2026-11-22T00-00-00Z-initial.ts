import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here. Later changes get their own migration.
 *
 * The event log (`events`) is the source of truth; `tasks` and `requests` are derived per thread
 * and may be recomputed from it at any time. The roster tables mirror the last valid roster.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("installations")
    .addColumn("id", "bigint", (c) => c.primaryKey())
    .addColumn("account_login", "text", (c) => c.notNull())
    .addColumn("account_id", "bigint", (c) => c.notNull())
    .addColumn("account_type", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deleted_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("rosters")
    .addColumn("installation_id", "bigint", (c) => c.primaryKey())
    .addColumn("source_sha", "text")
    .addColumn("content", "jsonb", (c) => c.notNull())
    .addColumn("loaded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_error", "jsonb")
    .addColumn("last_error_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("people")
    .addColumn("id", "bigint", (c) => c.primaryKey())
    .addColumn("login", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index people_login_idx on people (lower(login))`.execute(db);

  await db.schema
    .createTable("programs")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("starts", "date", (c) => c.notNull())
    .addColumn("ends", "date", (c) => c.notNull())
    .addColumn("window_from", "timestamptz", (c) => c.notNull())
    .addColumn("window_to", "timestamptz", (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("business_hours", "jsonb")
    .addColumn("tracking_repo", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("programs_pk", ["installation_id", "id"])
    .execute();

  await db.schema
    .createTable("milestones")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("due", "date", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("milestones_pk", ["installation_id", "program_id", "id"])
    .execute();

  await db.schema
    .createTable("projects")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("repos", sql`text[]`, (c) => c.notNull())
    .addColumn("tracking_repo", "text")
    .addColumn("tracking_number", "integer")
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("projects_pk", ["installation_id", "program_id", "id"])
    .execute();

  await db.schema
    .createTable("enrolments")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('mentor', 'mentee')`))
    .addColumn("person_id", "bigint", (c) => c.notNull())
    .addColumn("login", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("enrolments_pk", ["installation_id", "program_id", "project_id", "role", "person_id"])
    .execute();
  await db.schema.createIndex("enrolments_person_idx").on("enrolments").columns(["person_id", "role"]).execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("installation_id", "bigint")
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("action", "text")
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("events_stored", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("dedupe_key", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("delivery_id", "text")
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("thread_kind", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor_id", "bigint", (c) => c.notNull())
    .addColumn("actor_login", "text", (c) => c.notNull())
    .addColumn("actor_is_bot", "boolean", (c) => c.notNull())
    .addColumn("thread_author_id", "bigint", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("stored_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("events_dedupe_key", ["installation_id", "dedupe_key"])
    .execute();
  await db.schema.createIndex("events_thread_idx").on("events").columns(["installation_id", "repo", "number", "occurred_at"]).execute();
  await db.schema.createIndex("events_actor_idx").on("events").columns(["actor_id", "occurred_at"]).execute();

  await db.schema
    .createTable("tasks")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("mentee_id", "bigint")
    .addColumn("mentee_login", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("milestone_id", "text")
    .addColumn("linked_pr_repo", "text")
    .addColumn("linked_pr_number", "integer")
    .addColumn("linked_pr_merged", "boolean")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("tasks_pk", ["installation_id", "repo", "number"])
    .execute();
  await db.schema.createIndex("tasks_project_idx").on("tasks").columns(["installation_id", "program_id", "project_id"]).execute();

  await db.schema
    .createTable("requests")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("mentee_id", "bigint", (c) => c.notNull())
    .addColumn("mentee_login", "text", (c) => c.notNull())
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("thread_kind", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("opened_at", "timestamptz", (c) => c.notNull())
    .addColumn("opened_by", "text", (c) => c.notNull())
    .addColumn("responded_at", "timestamptz")
    .addColumn("response_kind", "text")
    .addColumn("responder_id", "bigint")
    .addColumn("responder_login", "text")
    .addColumn("latency_seconds", "double precision")
    .execute();
  await db.schema.createIndex("requests_thread_idx").on("requests").columns(["installation_id", "repo", "number"]).execute();
  await db.schema
    .createIndex("requests_program_idx")
    .on("requests")
    .columns(["installation_id", "program_id", "opened_at"])
    .execute();

  await db.schema
    .createTable("tracking_issues")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("tracking_issues_pk", ["installation_id", "program_id", "project_id"])
    .execute();

  // One row per comment the app must write at most once ever (milestone reminders, nudges).
  await db.schema
    .createTable("posted_comments")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("comment_id", "bigint")
    .addColumn("posted_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("posted_comments_pk", ["installation_id", "key"])
    .execute();

  await db.schema
    .createTable("backfill_cursors")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("state", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("backfill_cursors_pk", ["installation_id", "scope"])
    .execute();

  await db.schema
    .createTable("app_state")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "app_state",
    "backfill_cursors",
    "posted_comments",
    "tracking_issues",
    "requests",
    "tasks",
    "events",
    "deliveries",
    "enrolments",
    "projects",
    "milestones",
    "programs",
    "people",
    "rosters",
    "installations",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
