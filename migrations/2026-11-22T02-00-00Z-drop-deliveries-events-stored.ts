import type { Kysely } from "kysely";

/**
 * Frozen in time. `deliveries.events_stored` was never read and is derivable
 * (`select count(*) from events where delivery_id = …`); writing it cost an UPDATE per delivery.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("deliveries").dropColumn("events_stored").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("deliveries").addColumn("events_stored", "integer", (c) => c.notNull().defaultTo(0)).execute();
}
