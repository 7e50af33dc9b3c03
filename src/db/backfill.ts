import { type Kysely, sql } from "kysely";
import type { SearchScope } from "../domain/backfill-plan.js";
import type { ThreadEvent } from "../domain/types.js";
import type { SearchHit } from "../github/backfill.js";
import { insertEvents, markForDerivation, toThreadEvent } from "./events.js";
import type { Database } from "./schema.js";

/**
 * The backfill's progress, kept so that a crash or a restart continues where it stopped:
 * a search's cursor moves in the same transaction that stores the threads its page found, and
 * a thread is marked fetched in the same transaction that stores its events.
 */

export interface StoredSearch extends SearchScope {
  /** The planned search this one was split from (itself when not split). */
  root: string;
  cursor: string | null;
  done: boolean;
}

const SEARCH = "search:";

export async function ensureSearches(db: Kysely<Database>, installationId: number, scopes: SearchScope[]): Promise<void> {
  if (scopes.length === 0) return;
  await db
    .insertInto("backfill_cursors")
    .values(scopes.map((s) => ({ installation_id: installationId, scope: SEARCH + s.key, state: JSON.stringify(initialState(s, s.key)) })))
    .onConflict((oc) => oc.columns(["installation_id", "scope"]).doNothing())
    .execute();
}

function initialState(scope: SearchScope, root: string): StoredSearch {
  return { ...scope, root, cursor: null, done: false };
}

/** New repositories are visible to search now: every search runs again (threads already fetched are not). */
export async function forgetSearches(db: Kysely<Database>, installationId: number): Promise<void> {
  await db.deleteFrom("backfill_cursors").where("installation_id", "=", installationId).where("scope", "like", `${SEARCH}%`).execute();
}

export async function searches(db: Kysely<Database>, installationId: number, roots: string[]): Promise<StoredSearch[]> {
  if (roots.length === 0) return [];
  const rows = await db
    .selectFrom("backfill_cursors")
    .select("state")
    .where("installation_id", "=", installationId)
    .where("scope", "like", `${SEARCH}%`)
    .where(sql<string>`state->>'root'`, "in", roots)
    .orderBy("scope")
    .execute();
  return rows.map((r) => r.state as unknown as StoredSearch);
}

/**
 * Moves a search to its next page and records the threads the page found. Returns false when
 * another worker moved it first (the page is then not recorded again).
 */
export async function saveSearchPage(
  db: Kysely<Database>,
  installationId: number,
  search: StoredSearch,
  next: { cursor: string | null; done: boolean },
  hits: SearchHit[],
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("backfill_cursors")
      .set({ state: JSON.stringify({ ...search, ...next }), updated_at: sql`now()` })
      .where("installation_id", "=", installationId)
      .where("scope", "=", SEARCH + search.key)
      .where(sql<boolean>`(state->>'done')::boolean = false and state->>'cursor' is not distinct from ${search.cursor}`)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return false;
    if (hits.length > 0) {
      await trx
        .insertInto("backfill_threads")
        .values(hits.map((h) => ({ installation_id: installationId, node_id: h.id, repo: h.repo, number: h.number })))
        .onConflict((oc) => oc.columns(["installation_id", "node_id"]).doNothing())
        .execute();
    }
    return true;
  });
}

/** Replaces a search that hit GitHub's result cap by its two halves. */
export async function splitSearch(db: Kysely<Database>, installationId: number, search: StoredSearch, parts: SearchScope[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("backfill_cursors")
      .set({ state: JSON.stringify({ ...search, done: true, splitInto: parts.map((p) => p.key) }), updated_at: sql`now()` })
      .where("installation_id", "=", installationId)
      .where("scope", "=", SEARCH + search.key)
      .execute();
    await trx
      .insertInto("backfill_cursors")
      .values(parts.map((p) => ({ installation_id: installationId, scope: SEARCH + p.key, state: JSON.stringify(initialState(p, search.root)) })))
      .onConflict((oc) => oc.columns(["installation_id", "scope"]).doNothing())
      .execute();
  });
}

export async function pendingThreads(db: Kysely<Database>, installationId: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("backfill_threads")
    .select("node_id")
    .where("installation_id", "=", installationId)
    .where("fetched_at", "is", null)
    .orderBy("discovered_at")
    .orderBy("node_id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.node_id);
}

export async function threadCounts(db: Kysely<Database>, installationId: number): Promise<{ found: number; fetched: number }> {
  const row = await db
    .selectFrom("backfill_threads")
    .select([sql<string>`count(*)`.as("found"), sql<string>`count(fetched_at)`.as("fetched")])
    .where("installation_id", "=", installationId)
    .executeTakeFirstOrThrow();
  return { found: Number(row.found), fetched: Number(row.fetched) };
}

/**
 * Stores fetched threads' events and marks them fetched, with every thread that gained an event
 * marked for derivation, in one transaction. Threads GitHub no longer has are marked fetched too.
 */
export async function storeFetchedThreads(
  db: Kysely<Database>,
  installationId: number,
  nodeIds: string[],
  events: ThreadEvent[],
  deriveDelaySeconds: number,
): Promise<{ stored: number }> {
  return db.transaction().execute(async (trx) => {
    const { stored, threads } = await insertEvents(trx, installationId, events, "backfill", null);
    if (nodeIds.length > 0) {
      await trx
        .updateTable("backfill_threads")
        .set({ fetched_at: new Date() })
        .where("installation_id", "=", installationId)
        .where("node_id", "in", nodeIds)
        .where("fetched_at", "is", null)
        .execute();
    }
    await markForDerivation(trx, threads.map((t) => ({ installationId, ...t })), deriveDelaySeconds);
    return { stored };
  });
}

/**
 * Threads worth reading again: a request still waiting or a task not done, with activity since
 * `since`. Node ids come from the events that carry them.
 */
export async function threadsToReconcile(db: Kysely<Database>, installationId: number, since: Date): Promise<string[]> {
  const rows = await sql<{ node_id: string }>`
    with open_threads as (
      select repo, number from requests where installation_id = ${installationId} and responded_at is null
      union
      select repo, number from tasks where installation_id = ${installationId} and state in ('open', 'in progress')
    )
    select distinct on (e.repo, e.number) e.thread_node_id as node_id
    from events e join open_threads o on o.repo = e.repo and o.number = e.number
    where e.installation_id = ${installationId} and e.thread_node_id is not null
      and exists (select 1 from events r where r.installation_id = e.installation_id and r.repo = e.repo
                  and r.number = e.number and r.occurred_at >= ${since})
    order by e.repo, e.number, e.occurred_at desc`.execute(db);
  return rows.rows.map((r) => r.node_id);
}

/** A thread's stored comments that are not marked deleted, with their comment node ids. */
export async function liveComments(db: Kysely<Database>, installationId: number, nodeId: string): Promise<Array<{ commentId: string; event: ThreadEvent }>> {
  const rows = await db
    .selectFrom("events as c")
    .select(["c.kind", "c.dedupe_key", "c.occurred_at", "c.actor_id", "c.actor_login", "c.actor_is_bot", "c.repo", "c.number", "c.thread_kind", "c.thread_author_id", "c.data"])
    .where("c.installation_id", "=", installationId)
    .where("c.kind", "=", "comment_created")
    .where(sql<boolean>`(c.repo, c.number) in (select repo, number from events where installation_id = ${installationId} and thread_node_id = ${nodeId})`)
    .where(sql<boolean>`not exists (select 1 from events d where d.installation_id = c.installation_id
                          and d.dedupe_key = 'comment_deleted:' || substr(c.dedupe_key, length('comment_created:') + 1))`)
    .execute();
  return rows.map((row) => ({ commentId: row.dedupe_key.slice("comment_created:".length), event: { ...toThreadEvent(row), threadNodeId: nodeId } }));
}
