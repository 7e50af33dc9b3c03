import { type Kysely, sql } from "kysely";

/**
 * Frozen in time: never import app code here.
 *
 * Program lifecycle (issue 17).
 * - `evaluations`: every form ever recorded, append-only; an edit is a new row, so the latest row per
 *   (program, round, mentee, side) is current and the older ones are its history (who, when).
 * - `enrolment_outcomes`: where each enrolment stands (active, completed, failed, withdrawn, extended) and
 *   since when, kept current as forms are recorded, so completion can be counted per program and year.
 * - `check_ins`: check-ins a mentor recorded (slash command or API); mentor responses to requests count
 *   too but live in `requests`. `source_key` makes a redelivered command record once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("evaluations")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("round_id", "text", (c) => c.notNull())
    .addColumn("mentee_id", "bigint", (c) => c.notNull())
    .addColumn("mentee_login", "text", (c) => c.notNull())
    .addColumn("side", "text", (c) => c.notNull().check(sql`side in ('mentor', 'mentee')`))
    .addColumn("author_id", "bigint", (c) => c.notNull())
    .addColumn("author_login", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.check(sql`outcome in ('pass', 'fail', 'extend')`))
    .addColumn("rating", "smallint", (c) => c.check(sql`rating between 1 and 5`))
    .addColumn("note", "text")
    .addColumn("extend_to", "date")
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull())
    .execute();
  await sql`create index evaluations_by_mentee on evaluations (installation_id, program_id, mentee_id, recorded_at)`.execute(db);

  await db.schema
    .createTable("enrolment_outcomes")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("mentee_id", "bigint", (c) => c.notNull())
    .addColumn("mentee_login", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('active', 'completed', 'failed', 'withdrawn', 'extended')`))
    .addColumn("outcome_date", "date")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("enrolment_outcomes_pkey", ["installation_id", "program_id", "project_id", "mentee_id"])
    .execute();

  await db.schema
    .createTable("check_ins")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("program_id", "text", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("mentor_id", "bigint", (c) => c.notNull())
    .addColumn("mentor_login", "text", (c) => c.notNull())
    .addColumn("mentee_id", "bigint", (c) => c.notNull())
    .addColumn("mentee_login", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('command', 'api')`))
    .addColumn("source_key", "text")
    .addColumn("note", "text")
    .execute();
  await sql`create unique index check_ins_source_key on check_ins (installation_id, source_key) where source_key is not null`.execute(db);
  await sql`create index check_ins_by_pair on check_ins (installation_id, program_id, mentee_id, at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["check_ins", "enrolment_outcomes", "evaluations"]) await db.schema.dropTable(table).execute();
}
