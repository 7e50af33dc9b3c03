import { type Kysely, sql } from "kysely";

/**
 * Frozen in time. The request path now stores a delivery's body as it came (an inbox) and answers;
 * the expand-deliveries job turns pending bodies into events and clears them. `body` is non-null only
 * while a delivery waits for that job. It is stored uncompressed: compressing a few kB per delivery
 * on the request path costs more CPU than the short-lived bytes cost disk. `expand_error` sets aside,
 * body kept, a delivery whose events the database refused, so it cannot hold back the rest.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table deliveries add column body text`.execute(db);
  await sql`alter table deliveries alter column body set storage external`.execute(db);
  await sql`alter table deliveries add column expand_error text`.execute(db);
  await sql`create index deliveries_pending_idx on deliveries (received_at, id) where body is not null and expand_error is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists deliveries_pending_idx`.execute(db);
  await sql`alter table deliveries drop column expand_error`.execute(db);
  await sql`alter table deliveries drop column body`.execute(db);
}
