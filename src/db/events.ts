import { type Kysely, type Transaction, sql } from "kysely";
import type { ThreadEvent } from "../domain/types.js";
import { type DirtyMark, DRAIN_TASK, drainJobKey, markThreadsDirty, type ThreadKey } from "./dirty-threads.js";
import { PENDING_DELIVERY } from "./inbox.js";
import type { Database } from "./schema.js";

/**
 * What the store needs of a delivery: its GUID, which owns its events, and what its body says of its
 * installation and action (the request path stores the body unread: these columns are filled here).
 */
export interface DeliveryInfo {
  id: string;
  installationId: number | null;
  action: string | null;
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
  stored: number;
  /** Threads that received at least one event they did not have. */
  threads: Array<{ repo: string; number: number }>;
}

export interface DeliveryToStore {
  delivery: DeliveryInfo;
  events: ThreadEvent[];
  /** Of the threads that gained events, those derivation must look at again. */
  derives(thread: ThreadKey): boolean;
  /** Follow-up jobs other than derivation. */
  jobs: JobRequest[];
}

/**
 * The expansion of pending deliveries (src/webhooks/expand.ts), in the caller's transaction, which
 * holds their rows locked (claimPendingDeliveries): each delivery's body is cleared (its installation
 * and action recorded from it), its events stored
 * (deduplicated on their GitHub identity, so a redelivery under a new GUID or a backfill of the same
 * activity adds nothing), the threads they changed marked dirty, and an installation whose thread was
 * newly marked gets its drain job, all in one statement (STORE_BATCH): the batch travels as JSON
 * parameters instead of 15 bind parameters an event. Follow-up jobs, rare, are added after it. Rows go
 * in key order, so concurrent batches (a second process) lock them in the same order.
 */
export async function storeDeliveries(
  trx: Transaction<Database>,
  items: DeliveryToStore[],
  deriveDelaySeconds: number,
): Promise<StoredDelivery[]> {
  const deliveries = items.map(({ delivery }) => ({ id: delivery.id, installation_id: delivery.installationId, action: delivery.action }));
  const candidates = items.flatMap((item, i) => {
    const { delivery, events, derives } = item;
    if (delivery.installationId === null) return [];
    return events.map((e) => ({ ord: i, derives: derives(e), ...eventColumns(delivery.installationId!, e, "webhook", delivery.id) }));
  });
  const installations = [...new Set(candidates.map((c) => c.installation_id))];
  const drains = installations.map((id) => ({ installation_id: id, ...drainJobColumns(drainJob(id, deriveDelaySeconds)) }));
  const { rows } = await sql<{ stored: Array<[string, string, number]> }>`${sql.raw(STORE_BATCH_HEAD)}
    ${JSON.stringify(deliveries)}::jsonb ${sql.raw(STORE_BATCH_MIDDLE)} ${JSON.stringify(candidates)}::jsonb ${sql.raw(STORE_BATCH_TAIL)}
    ${JSON.stringify(drains)}::jsonb ${sql.raw(STORE_BATCH_END)}`.execute(trx);
  const place = new Map(items.map((item, i) => [item.delivery.id, i]));
  const storedBy = items.map(() => new Map<string, ThreadKey>());
  const counts = items.map(() => 0);
  for (const [deliveryId, repo, number] of rows[0]!.stored) {
    const at = place.get(deliveryId)!;
    counts[at]! += 1;
    storedBy[at]!.set(`${repo}#${number}`, { repo, number });
  }
  for (const item of items) for (const job of item.jobs) await addJob(trx, job);
  return items.map((_, i) => ({ stored: counts[i]!, threads: [...storedBy[i]!.values()] }));
}

/**
 * storeDeliveries' statement, around its three parameters: the deliveries, the candidate events (each
 * with its delivery's place in the batch, `ord`, and whether it may change its thread's derivation),
 * and each installation's drain job. Data-modifying CTEs see each other only through RETURNING, which
 * is all they need here: events are stored only for deliveries whose body this statement cleared (a
 * delivery expanded meanwhile by someone else keeps nothing twice), dirty marks only for events just
 * inserted, a drain job only where a thread was newly marked (xmax = 0 on a row this statement
 * inserted). The final select reads every CTE, so each runs.
 */
const STORE_BATCH_HEAD = `with inserted as (
    update deliveries set body = null, installation_id = d.installation_id, action = d.action
    from jsonb_to_recordset(`;
const STORE_BATCH_MIDDLE = `) as d(id text, installation_id bigint, action text)
    where ${PENDING_DELIVERY} and deliveries.id = d.id
    returning deliveries.id
  ), candidates as (
    select * from jsonb_to_recordset(`;
const STORE_BATCH_TAIL = `) as c(ord int, derives boolean, installation_id bigint, dedupe_key text, source text,
      delivery_id text, repo text, number int, thread_kind text, kind text, actor_id bigint, actor_login text,
      actor_is_bot boolean, thread_author_id bigint, thread_node_id text, occurred_at timestamptz, data jsonb)
    where delivery_id in (select id from inserted)
  ), owned as (
    select distinct on (installation_id, dedupe_key) * from candidates order by installation_id, dedupe_key, ord
  ), stored as (
    insert into events (installation_id, dedupe_key, source, delivery_id, repo, number, thread_kind, kind, actor_id,
      actor_login, actor_is_bot, thread_author_id, thread_node_id, occurred_at, data)
    select installation_id, dedupe_key, source, delivery_id, repo, number, thread_kind, kind, actor_id,
      actor_login, actor_is_bot, thread_author_id, thread_node_id, occurred_at, data
    from owned
    order by installation_id, dedupe_key
    on conflict (installation_id, dedupe_key) do nothing
    returning installation_id, dedupe_key, delivery_id, repo, number
  ), marked as (
    insert into dirty_threads (installation_id, repo, number)
    select distinct s.installation_id, s.repo, s.number
    from stored s join owned o using (installation_id, dedupe_key)
    where o.derives
    order by 1, 2, 3
    on conflict (installation_id, repo, number) do update set marked_at = now(), mark = dirty_threads.mark + 1
    returning installation_id, xmax = 0 as inserted
  ), drains as (
    select graphile_worker.add_job(j.task, j.payload, queue_name := j.queue, run_at := now() + make_interval(secs => j.delay_seconds),
      job_key := j.key, job_key_mode := j.key_mode)
    from jsonb_to_recordset(`;
const STORE_BATCH_END = `) as j(installation_id bigint, task text, payload json, queue text, delay_seconds double precision, key text, key_mode text)
    where j.installation_id in (select installation_id from marked where inserted)
  )
  select (select count(*) from inserted) as cleared,
    (select coalesce(json_agg(json_build_array(delivery_id, repo, number)), '[]') from stored) as stored,
    (select count(*) from drains) as drains`;

/** A job as STORE_BATCH's drain columns, with addJob's defaults. */
function drainJobColumns(job: JobRequest) {
  return {
    task: job.task,
    payload: job.payload,
    queue: job.queue ?? null,
    delay_seconds: job.delaySeconds ?? 0,
    key: job.key ?? null,
    key_mode: job.keyMode ?? "replace",
  };
}

/**
 * Asks for these threads' derivation, in the caller's transaction: they join the dirty set, and an
 * installation none of whose threads was marked yet gets its drain job. Every writer of events (the
 * webhook path, the backfill, reconciliation) asks this one way.
 */
export async function markForDerivation(trx: Transaction<Database>, marks: DirtyMark[], delaySeconds: number): Promise<void> {
  for (const installationId of await markThreadsDirty(trx, marks)) await addJob(trx, drainJob(installationId, delaySeconds));
}

/** The job that derives an installation's marked threads; one queued at a time, never pushed back. */
export function drainJob(installationId: number, delaySeconds: number): JobRequest {
  return { task: DRAIN_TASK, payload: { installationId }, key: drainJobKey(installationId), delaySeconds, keyMode: "preserve_run_at" };
}

/** An event's row; `data` as the object, for a JSON parameter (eventRow stringifies it for a bind parameter). */
function eventColumns(installationId: number, e: ThreadEvent, source: "webhook" | "backfill", deliveryId: string | null) {
  return {
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
    data: e.data,
  };
}

function eventRow(installationId: number, e: ThreadEvent, source: "webhook" | "backfill", deliveryId: string | null) {
  return { ...eventColumns(installationId, e, source, deliveryId), data: JSON.stringify(e.data) };
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
    .values(events.map((e) => eventRow(installationId, e, source, deliveryId)))
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
  return (await eventsOfThreads(db, installationId, [{ repo, number }])).get(`${repo}#${number}`) ?? [];
}

/** Each thread's events (by `repo#number`), oldest first, in one query for all of them. */
export async function eventsOfThreads(
  db: Kysely<Database>,
  installationId: number,
  threads: ThreadKey[],
): Promise<Map<string, ThreadEvent[]>> {
  const found = new Map<string, ThreadEvent[]>();
  if (threads.length === 0) return found;
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
    .where(sql<boolean>`(repo, number) in (${sql.join(threads.map((t) => sql`(${t.repo}::text, ${t.number}::int)`))})`)
    .orderBy("occurred_at")
    .orderBy("dedupe_key")
    .execute();
  for (const row of rows) {
    const key = `${row.repo}#${row.number}`;
    const list = found.get(key) ?? [];
    list.push(toThreadEvent(row));
    found.set(key, list);
  }
  return found;
}

/** Of `threads`, those some other thread was transferred into (`repo#number`): the rare ones with history elsewhere. */
export async function threadsWithTransfersIn(db: Kysely<Database>, installationId: number, threads: ThreadKey[]): Promise<Set<string>> {
  if (threads.length === 0) return new Set();
  const targets = threads.map((t) => sql`${JSON.stringify({ repo: t.repo, number: t.number })}::jsonb`);
  const rows = await sql<{ target: { repo: string; number: number } }>`
    select distinct data->'transferredTo' as target from events
    where installation_id = ${installationId} and kind = 'issue_transferred' and data->'transferredTo' in (${sql.join(targets)})`.execute(db);
  return new Set(rows.rows.map((r) => `${r.target.repo}#${r.target.number}`));
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
