import { type Kysely, sql } from "kysely";

/**
 * Frozen in time. The request path now stores a delivery's body as it came (an inbox) and answers;
 * the worker turns pending bodies into events and clears them. `body` is non-null only while a
 * delivery waits for that. Bodies are 15-25 kB of JSON: compressed with lz4 where the
 * server has it, they write a fraction of the WAL the commit waits for; pglz (the only choice in
 * PGlite) costs more CPU than it saves, so there they go uncompressed. `expand_error` sets aside,
 * body kept, a delivery whose events the database refused, so it cannot hold back the rest.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table deliveries add column body text`.execute(db);
  await sql`do $$ begin
    if exists (select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
      alter table deliveries alter column body set compression lz4;
    else
      alter table deliveries alter column body set storage external;
    end if;
  end $$`.execute(db);
  await sql`alter table deliveries add column expand_error text`.execute(db);
  await sql`create index deliveries_pending_idx on deliveries (received_at, id) where body is not null and expand_error is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists deliveries_pending_idx`.execute(db);
  await sql`alter table deliveries drop column expand_error`.execute(db);
  await sql`alter table deliveries drop column body`.execute(db);
}
