/**
 * The delivery inbox: the request path stores each delivery's body as GitHub sent it, in one
 * statement per group commit, and answers; the worker's expander turns pending bodies into events
 * (src/webhooks/expand.ts, src/jobs/expander.ts). A delivery row is its GUID's one record either way, so a redelivery of the
 * same GUID is a duplicate whether or not it was expanded yet.
 */
import { CompiledQuery, type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./schema.js";

export interface DeliveryToAccept {
  id: string;
  event: string;
  /** The body as received, the bytes the signature was checked over, not yet parsed. */
  body: string;
}

export interface PendingDelivery {
  id: string;
  event: string;
  body: string;
}

const COLUMNS_PER_ROW = 3;

/** A delivery stored and not yet expanded, as SQL: the partial index `deliveries_pending_idx` has this predicate. */
export const PENDING_DELIVERY = "body is not null and expand_error is null";

/**
 * Stores the deliveries in one statement: one round trip, and with no transaction around it, one
 * commit. Returns, for each item, whether it is new: false for a GUID stored before and for a repeat
 * of one earlier in the same batch. Plain SQL with bind parameters, no query builder: this is the
 * statement every delivery pays for. Nothing else is in it: queuing a job in it (an upsert and a
 * notify) cost a third of its rate, so the worker is told in process and sweeps (src/jobs/expander.ts).
 * The installation and action columns are filled at expansion, which parses the body.
 */
export async function acceptDeliveries(db: Kysely<Database>, items: DeliveryToAccept[]): Promise<boolean[]> {
  if (items.length === 0) return [];
  const params: unknown[] = [];
  const rows = items.map((d, i) => {
    params.push(d.id, d.event, d.body);
    const at = i * COLUMNS_PER_ROW;
    return `($${at + 1}, $${at + 2}, $${at + 3})`;
  });
  const statement = `insert into deliveries (id, event, body) values ${rows.join(", ")}
    on conflict (id) do nothing
    returning id`;
  const result = await db.executeQuery<{ id: string }>(CompiledQuery.raw(statement, params));
  const inserted = new Set(result.rows.map((r) => r.id));
  return items.map((d) => inserted.delete(d.id));
}

/**
 * Locks up to `limit` pending deliveries, oldest first, for the caller's transaction. Rows another
 * transaction holds are skipped, so two workers expand different deliveries side by side.
 */
export async function claimPendingDeliveries(trx: Transaction<Database>, limit: number): Promise<PendingDelivery[]> {
  const result = await sql<PendingDelivery>`
    select id, event, body from deliveries
    where ${sql.raw(PENDING_DELIVERY)}
    order by received_at, id
    limit ${limit}
    for update skip locked`.execute(trx);
  return result.rows;
}

export interface InboxState {
  /** Stored, waiting for the worker's expansion. */
  pending: number;
  /** Refused by the database at expansion, body kept (`deliveries.expand_error`). */
  setAside: number;
}

/** Deliveries stored but not (yet) expanded into events: pending ones, and those set aside. */
export async function inboxState(db: Kysely<Database>): Promise<InboxState> {
  const result = await sql<InboxState>`
    select count(*) filter (where expand_error is null)::int as "pending", count(*) filter (where expand_error is not null)::int as "setAside"
    from deliveries where body is not null`.execute(db);
  return result.rows[0]!;
}

/** Takes a delivery out of the pending ones, its body kept, with the reason it cannot be expanded. */
export async function setDeliveryAside(db: Kysely<Database>, id: string, reason: string): Promise<void> {
  await db.updateTable("deliveries").set({ expand_error: reason }).where("id", "=", id).execute();
}
