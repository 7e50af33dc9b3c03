import { type Kysely, sql } from "kysely";

/**
 * Frozen in time. The threads a delivery touched and derivation has not caught up with: one row per
 * thread however many deliveries touched it. `mark` counts the touches, so a drain that derived a
 * thread deletes its row only if nobody touched it meanwhile. `claimed_by` is the graphile-worker job
 * deriving it; the claim lapses as soon as that job is no longer locked (done, failed, its worker dead).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dirty_threads")
    .addColumn("installation_id", "bigint", (c) => c.notNull())
    .addColumn("repo", "text", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("marked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("mark", "bigint", (c) => c.notNull().defaultTo(1))
    .addColumn("claimed_by", "bigint")
    .addPrimaryKeyConstraint("dirty_threads_pk", ["installation_id", "repo", "number"])
    .execute();
  await db.schema.createIndex("dirty_threads_due").on("dirty_threads").columns(["installation_id", "marked_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("dirty_threads").execute();
}
