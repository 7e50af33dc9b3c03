/**
 * Payload retention (README, "Privacy"): an event older than the roster's `privacy.payloadRetention`
 * keeps what the figures are derived from (kind, actor, thread, time, labels, draft and review state,
 * linked issues, assignee and reviewer ids, mentions, comment ids) and loses the rest: its link, the
 * assignee's and reviewer's logins, and the thread's title unless it is the thread's newest one, which
 * its task still shows. Derivation therefore gives the same tasks and requests before and after.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";

/** Batches keep each transaction short on a table of millions of events. */
const BATCH = 5_000;

/** Same expression as the partial index `events_untrimmed_idx` (migration 2026-12-02T16-00-00Z), so the planner uses it. */
const UNTRIMMED = sql.raw(`(e.data ?| array['title', 'url'] or (e.data->'assignee') ? 'login' or (e.data->'requestedReviewer') ? 'login')`);
const NEWER_TITLE = sql.raw(`exists (select 1 from events n
  where n.installation_id = e.installation_id and n.repo = e.repo and n.number = e.number and n.data ? 'title'
    and n.occurred_at >= e.occurred_at and (n.occurred_at > e.occurred_at or n.id > e.id))`);

/**
 * Trims the payloads of the installation's events that happened before `cutoff`; returns how many.
 * Walks the untrimmed events once, in (time, id) order, so the current titles it keeps are not read
 * again by every batch.
 */
export async function trimPayloads(db: Kysely<Database>, installationId: number, cutoff: Date): Promise<number> {
  let total = 0;
  let after: { at: string; id: number } = { at: "-infinity", id: 0 };
  for (;;) {
    const result = await sql<{ trimmed: number; scanned: number; last_at: string | null; last_id: string | null }>`
      with batch as (
        select e.id, e.occurred_at, ${NEWER_TITLE} as superseded,
               (e.data ? 'url' or (e.data->'assignee') ? 'login' or (e.data->'requestedReviewer') ? 'login') as other
        from events e
        where e.installation_id = ${installationId} and e.occurred_at < ${cutoff.toISOString()}::timestamptz and ${UNTRIMMED}
          and (e.occurred_at, e.id) > (${after.at}::timestamptz, ${after.id}::bigint)
        order by e.occurred_at, e.id
        limit ${BATCH}
      ), trimmed as (
        update events e set data = ((e.data - 'url') - case when b.superseded then 'title' else '' end)
          || case when (e.data->'assignee') ? 'login' then jsonb_build_object('assignee', (e.data->'assignee') - 'login') else '{}'::jsonb end
          || case when (e.data->'requestedReviewer') ? 'login' then jsonb_build_object('requestedReviewer', (e.data->'requestedReviewer') - 'login') else '{}'::jsonb end
        from batch b where e.id = b.id and (b.superseded or b.other)
        returning 1
      ), last as (select occurred_at, id from batch order by occurred_at desc, id desc limit 1)
      select (select count(*) from trimmed)::int as trimmed, (select count(*) from batch)::int as scanned,
             (select occurred_at::text from last) as last_at, (select id::text from last) as last_id`.execute(db);
    const row = result.rows[0]!;
    total += row.trimmed;
    if (row.scanned < BATCH || row.last_at === null) return total;
    after = { at: row.last_at, id: Number(row.last_id) };
  }
}
