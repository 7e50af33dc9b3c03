/**
 * What the redelivery job remembers: how far back GitHub's delivery log has been read (`app_state`,
 * key `redelivery`), and every GUID it has claimed for redelivery (`redelivery_requests`, primary key
 * the GUID, so one claim per GUID ever, whichever instance makes it).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { PendingClaim, RedeliveryCandidate } from "../domain/redelivery.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

const STATE_KEY = "redelivery";
/** GUIDs per `in (…)` list. */
const CHUNK = 1000;

/** The upper bound of the last completed run, or null before the first. */
export async function readCheckedUntil(db: Db): Promise<Date | null> {
  const row = await db.selectFrom("app_state").select("value").where("key", "=", STATE_KEY).executeTakeFirst();
  const value = (row?.value as { checkedUntil?: unknown } | undefined)?.checkedUntil;
  if (typeof value !== "string") return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Records a completed run. Never moves back: a slower, older run finishing last changes nothing. */
export async function saveCheckedUntil(db: Db, checkedUntil: Date): Promise<void> {
  const value = JSON.stringify({ checkedUntil: checkedUntil.toISOString() });
  await db
    .insertInto("app_state")
    .values({ key: STATE_KEY, value })
    .onConflict((oc) =>
      oc
        .column("key")
        .doUpdateSet({ value: (eb) => eb.ref("excluded.value"), updated_at: sql`now()` })
        .where(sql<boolean>`(app_state.value->>'checkedUntil')::timestamptz < (excluded.value->>'checkedUntil')::timestamptz`),
    )
    .execute();
}

/** Which of `guids` the app has stored as deliveries. */
export async function storedGuids(db: Db, guids: Iterable<string>): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks([...new Set(guids)])) {
    const rows = await db.selectFrom("deliveries").select("id").where("id", "in", chunk).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Which of `guids` have been claimed, whatever became of the claim. */
export async function claimedGuids(db: Db, guids: Iterable<string>): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks([...new Set(guids)])) {
    const rows = await db.selectFrom("redelivery_requests").select("guid").where("guid", "in", chunk).execute();
    for (const row of rows) found.add(row.guid);
  }
  return found;
}

/** Claims without an outcome made before `before`: left by a run that crashed between claim and answer. */
export async function pendingClaims(db: Db, before: Date): Promise<PendingClaim[]> {
  const rows = await db
    .selectFrom("redelivery_requests")
    .select(["guid", "delivery_id", "claimed_at"])
    .where("outcome", "is", null)
    .where("claimed_at", "<", before)
    .orderBy("claimed_at")
    .execute();
  return rows.map((r) => ({ guid: r.guid, deliveryId: r.delivery_id, claimedAt: new Date(r.claimed_at) }));
}

/**
 * Claims a GUID before its redelivery is requested. True for exactly one caller ever: concurrent
 * callers race on the primary key and the loser's insert does nothing.
 */
export async function claimRedelivery(db: Db, candidate: RedeliveryCandidate, now: Date): Promise<boolean> {
  const row = await db
    .insertInto("redelivery_requests")
    .values({
      guid: candidate.guid,
      delivery_id: candidate.deliveryId,
      event: candidate.event,
      action: candidate.action,
      installation_id: candidate.installationId,
      claimed_at: now,
    })
    .onConflict((oc) => oc.column("guid").doNothing())
    .returning("guid")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes over a claim a crashed run left, to send its request again. True for one caller: the claim
 * must still be pending and still carry the time the caller read.
 */
export async function reclaimRedelivery(db: Db, claim: PendingClaim, now: Date): Promise<boolean> {
  const row = await db
    .updateTable("redelivery_requests")
    .set({ claimed_at: now })
    .where("guid", "=", claim.guid)
    .where("outcome", "is", null)
    .where("claimed_at", "=", claim.claimedAt)
    .returning("guid")
    .executeTakeFirst();
  return row !== undefined;
}

export async function settleRedelivery(
  db: Db,
  guid: string,
  outcome: "requested" | "rejected" | "unneeded",
  now: Date,
  detail: string | null = null,
): Promise<void> {
  await db
    .updateTable("redelivery_requests")
    .set({ outcome, detail, settled_at: now })
    .where("guid", "=", guid)
    .where("outcome", "is", null)
    .execute();
}

/** Gives a pending claim back after a failure that may pass (rate limit, GitHub 5xx): a later run tries again. */
export async function releaseRedelivery(db: Db, guid: string): Promise<void> {
  await db.deleteFrom("redelivery_requests").where("guid", "=", guid).where("outcome", "is", null).execute();
}

/** Forgets claims older than anything GitHub could still redeliver. */
export async function pruneRedeliveryClaims(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom("redelivery_requests").where("claimed_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
