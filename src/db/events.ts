import { type Kysely, type Transaction, sql } from "kysely";
import type { ThreadEvent } from "../domain/types.js";
import type { Database } from "./schema.js";

export interface DeliveryInfo {
  id: string;
  event: string;
  action: string | null;
  installationId: number | null;
}

export interface JobRequest {
  task: string;
  payload: Record<string, unknown>;
  /** Jobs with the same key collapse into one (graphile-worker job_key). */
  key?: string;
  delaySeconds?: number;
  /** `replace` pushes run_at back on every call (debounce); `preserve_run_at` keeps the first (throttle). */
  keyMode?: "replace" | "preserve_run_at";
  /** Jobs in the same named queue run one at a time, in order. */
  queue?: string;
}

export interface StoredDelivery {
  duplicate: boolean;
  stored: number;
  /** Threads that received at least one event they did not have. */
  threads: Array<{ repo: string; number: number }>;
}

/**
 * The whole request path in one transaction: the delivery row (deduplicated on its GUID), the
 * events (deduplicated on their GitHub identity, so a redelivery under a new GUID or a backfill
 * of the same activity adds nothing), and the follow-up jobs. Nothing is half-stored: if any
 * step fails, GitHub gets a 5xx and the delivery can be sent again.
 */
export async function storeDelivery(
  db: Kysely<Database>,
  delivery: DeliveryInfo,
  events: ThreadEvent[],
  jobsFor: (threads: StoredDelivery["threads"]) => JobRequest[],
): Promise<StoredDelivery> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("deliveries")
      .values({ id: delivery.id, installation_id: delivery.installationId, event: delivery.event, action: delivery.action })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) return { duplicate: true, stored: 0, threads: [] };

    const { stored, threads } =
      delivery.installationId === null
        ? { stored: 0, threads: [] }
        : await insertEvents(trx, delivery.installationId, events, "webhook", delivery.id);
    for (const job of jobsFor(threads)) await addJob(trx, job);
    return { duplicate: false, stored, threads };
  });
}

export async function insertEvents(
  db: Kysely<Database> | Transaction<Database>,
  installationId: number,
  events: ThreadEvent[],
  source: "webhook" | "backfill",
  deliveryId: string | null,
): Promise<{ stored: number; threads: StoredDelivery["threads"] }> {
  if (events.length === 0) return { stored: 0, threads: [] };
  const rows = await db
    .insertInto("events")
    .values(
      events.map((e) => ({
        installation_id: installationId,
        dedupe_key: e.dedupeKey,
        source,
        delivery_id: deliveryId,
        repo: e.repo,
        number: e.number,
        thread_kind: e.threadKind,
        kind: e.kind,
        actor_id: e.actor.id,
        actor_login: e.actor.login,
        actor_is_bot: e.actor.isBot,
        thread_author_id: e.threadAuthorId,
        thread_node_id: e.threadNodeId ?? null,
        occurred_at: e.occurredAt,
        data: JSON.stringify(e.data),
      })),
    )
    .onConflict((oc) => oc.columns(["installation_id", "dedupe_key"]).doNothing())
    .returning(["repo", "number"])
    .execute();
  const threads = new Map(rows.map((r) => [`${r.repo}#${r.number}`, { repo: r.repo, number: r.number }]));
  return { stored: rows.length, threads: [...threads.values()] };
}

/** Enqueues a graphile-worker job inside the caller's transaction: it exists only if the transaction commits. */
export async function addJob(db: Kysely<Database> | Transaction<Database>, job: JobRequest): Promise<void> {
  const runAt = sql`now() + make_interval(secs => ${job.delaySeconds ?? 0})`;
  await sql`select graphile_worker.add_job(
      ${job.task}::text,
      ${JSON.stringify(job.payload)}::json,
      queue_name := ${job.queue ?? null}::text,
      run_at := ${runAt},
      job_key := ${job.key ?? null}::text,
      job_key_mode := ${job.keyMode ?? "replace"}::text
    )`.execute(db);
}

interface EventRow {
  kind: string;
  dedupe_key: string;
  occurred_at: Date;
  actor_id: number;
  actor_login: string;
  actor_is_bot: boolean;
  repo: string;
  number: number;
  thread_kind: "issue" | "pr";
  thread_author_id: number;
  data: Record<string, unknown>;
}

export function toThreadEvent(row: EventRow): ThreadEvent {
  return {
    kind: row.kind as ThreadEvent["kind"],
    dedupeKey: row.dedupe_key,
    occurredAt: row.occurred_at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    actor: { id: row.actor_id, login: row.actor_login, isBot: row.actor_is_bot },
    repo: row.repo,
    number: row.number,
    threadKind: row.thread_kind,
    threadAuthorId: row.thread_author_id,
    data: row.data as ThreadEvent["data"],
  };
}

export async function threadEvents(
  db: Kysely<Database>,
  installationId: number,
  repo: string,
  number: number,
): Promise<ThreadEvent[]> {
  const rows = await db
    .selectFrom("events")
    .select([
      "kind",
      "dedupe_key",
      "occurred_at",
      "actor_id",
      "actor_login",
      "actor_is_bot",
      "repo",
      "number",
      "thread_kind",
      "thread_author_id",
      "data",
    ])
    .where("installation_id", "=", installationId)
    .where("repo", "=", repo)
    .where("number", "=", number)
    .orderBy("occurred_at")
    .orderBy("dedupe_key")
    .execute();
  return rows.map(toThreadEvent);
}

/**
 * PRs in the same repo whose body links (closes) the given issue, with their latest state. A PR links the
 * issue while its latest event that carries the body's links (an edit, a push, a close) still names it:
 * a PR whose body no longer says "Closes #N" has let the task go.
 */
export async function prsLinkingIssue(
  db: Kysely<Database>,
  installationId: number,
  repo: string,
  issueNumber: number,
): Promise<Array<{ number: number; merged: boolean; linkedAt: Date }>> {
  const links = sql`data->'linkedIssues' @> ${JSON.stringify([issueNumber])}::jsonb`;
  const rows = await sql<{ number: number; merged: boolean; linked_at: Date }>`
    with prs as (
      select number,
             bool_or(kind = 'pr_merged') as merged,
             min(occurred_at) filter (where ${links}) as linked_at
      from events
      where installation_id = ${installationId} and repo = ${repo} and thread_kind = 'pr'
      group by number
      having bool_or(${links})
    ), latest as (
      select distinct on (e.number) e.number, ${links} as still_links
      from events e join prs using (number)
      where e.installation_id = ${installationId} and e.repo = ${repo} and e.thread_kind = 'pr' and e.data ? 'linkedIssues'
      order by e.number, e.occurred_at desc, e.dedupe_key desc
    )
    select prs.number, prs.merged, prs.linked_at from prs join latest using (number) where latest.still_links`.execute(db);
  return rows.rows.map((r) => ({ number: r.number, merged: r.merged, linkedAt: r.linked_at }));
}

/** Threads transferred into `repo#number` (their `issue_transferred` names it), nearest first, following chains. */
export async function threadsTransferredInto(
  db: Kysely<Database>,
  installationId: number,
  repo: string,
  number: number,
): Promise<Array<{ repo: string; number: number }>> {
  const found: Array<{ repo: string; number: number }> = [];
  const seen = new Set([`${repo}#${number}`]);
  const queue = [{ repo, number }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const rows = await db
      .selectFrom("events")
      .select(["repo", "number"])
      .distinct()
      .where("installation_id", "=", installationId)
      .where("kind", "=", "issue_transferred")
      .where(sql<boolean>`data->'transferredTo' = ${JSON.stringify({ repo: next.repo, number: next.number })}::jsonb`)
      .execute();
    for (const row of rows) {
      if (seen.has(`${row.repo}#${row.number}`)) continue;
      seen.add(`${row.repo}#${row.number}`);
      found.push(row);
      queue.push(row);
    }
  }
  return found;
}
