/**
 * The dirty set: threads whose events changed since they were last derived. The request path marks
 * them in its own transaction; the derive-dirty job drains them in batches (src/jobs/derive-dirty.ts).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./schema.js";

export interface ThreadKey {
  repo: string;
  number: number;
}

export interface DirtyMark {
  installationId: number;
  repo: string;
  number: number;
}

export interface ClaimedThread extends ThreadKey {
  /** The touch count when claimed: the row goes only if it is still this after derivation. */
  mark: number;
}

/** The graphile-worker task that drains an installation's marks, and its one-per-installation key. */
export const DRAIN_TASK = "derive-dirty";
const DRAIN_KEY_PREFIX = "derive-dirty:";
export const drainJobKey = (installationId: number) => `${DRAIN_KEY_PREFIX}${installationId}`;

/**
 * Marks the threads, restarting each one's debounce. Rows are written in key order, so two
 * transactions marking overlapping threads lock them in the same order and never deadlock. Returns
 * the installations for which a thread was newly marked: only those need a drain queued, since a
 * thread already marked is one a queued or running drain will come back to.
 */
export async function markThreadsDirty(db: Kysely<Database> | Transaction<Database>, marks: DirtyMark[]): Promise<number[]> {
  const unique = new Map<string, DirtyMark>();
  for (const m of marks) unique.set(`${m.installationId}\u0000${m.repo}\u0000${m.number}`, m);
  if (unique.size === 0) return [];
  const rows = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
  const result = await db
    .insertInto("dirty_threads")
    .values(rows.map((m) => ({ installation_id: m.installationId, repo: m.repo, number: m.number })))
    .onConflict((oc) =>
      oc.columns(["installation_id", "repo", "number"]).doUpdateSet({ marked_at: sql`now()`, mark: sql`dirty_threads.mark + 1` }),
    )
    // xmax is 0 on a row this statement inserted, and set on one it updated. The webhook path's one
    // statement (STORE_BATCH in src/db/events.ts) repeats this upsert in SQL: change both together.
    .returning(["installation_id", sql<boolean>`xmax = 0`.as("inserted")])
    .execute();
  return [...new Set(result.filter((r) => r.inserted).map((r) => Number(r.installation_id)))];
}

/** Unclaimed, claimed by `jobId` itself, or claimed by a job that is no longer locked by a worker. */
const claimable = (jobId: number) => sql<boolean>`(d.claimed_by is null or d.claimed_by = ${jobId} or not exists (
  select 1 from graphile_worker._private_jobs j where j.id = d.claimed_by and j.locked_at is not null))`;

/**
 * Claims up to `limit` of the installation's threads whose last mark is at least `debounceSeconds`
 * old, for `jobId`. A thread claimed by another job stays with it while that job is locked; the
 * claim of a job that finished, failed or died is void, so nothing waits for it.
 */
export async function claimDueThreads(
  db: Kysely<Database>,
  installationId: number,
  jobId: number,
  debounceSeconds: number,
  limit: number,
): Promise<ClaimedThread[]> {
  const rows = await sql<{ repo: string; number: number; mark: number }>`
    with due as (
      select d.repo, d.number from dirty_threads d
      where d.installation_id = ${installationId}
        and d.marked_at <= now() - make_interval(secs => ${debounceSeconds})
        and ${claimable(jobId)}
      order by d.marked_at
      limit ${limit}
      for update skip locked
    )
    update dirty_threads t set claimed_by = ${jobId}
    from due
    where t.installation_id = ${installationId} and t.repo = due.repo and t.number = due.number
    returning t.repo, t.number, t.mark`.execute(db);
  return rows.rows.map((r) => ({ repo: r.repo, number: r.number, mark: Number(r.mark) }));
}

/**
 * After derivation: a thread nobody touched since its claim leaves the set; one touched meanwhile
 * stays, unclaimed, to be derived again with what it gained.
 */
export async function settleClaims(db: Kysely<Database>, installationId: number, jobId: number, claimed: ClaimedThread[]): Promise<void> {
  if (claimed.length === 0) return;
  const list = sql.join(claimed.map((c) => sql`(${c.repo}::text, ${c.number}::int, ${c.mark}::bigint)`));
  await sql`
    delete from dirty_threads t using (values ${list}) as c(repo, number, mark)
    where t.installation_id = ${installationId} and t.repo = c.repo and t.number = c.number and t.mark = c.mark`.execute(db);
  await db
    .updateTable("dirty_threads")
    .set({ claimed_by: null })
    .where("installation_id", "=", installationId)
    .where("claimed_by", "=", jobId)
    .execute();
}

/**
 * Seconds until the installation's next thread `jobId` could claim is due (0 when one is due now), or
 * null when there is none. Threads another running drain holds are its to come back to.
 */
export async function secondsUntilNextDue(
  db: Kysely<Database>,
  installationId: number,
  debounceSeconds: number,
  jobId: number,
): Promise<number | null> {
  const row = await sql<{ wait: number | null }>`
    select extract(epoch from min(d.marked_at) + make_interval(secs => ${debounceSeconds}) - now())::float8 as wait
    from dirty_threads d where d.installation_id = ${installationId} and ${claimable(jobId)}`.execute(db);
  const wait = row.rows[0]?.wait;
  return wait === null || wait === undefined ? null : Math.max(0, Math.ceil(wait));
}

/** Threads whose derivation failed wait this long before the next attempt, marks kept, while the others go on. */
export async function postponeThreads(db: Kysely<Database>, installationId: number, threads: ThreadKey[], seconds: number): Promise<void> {
  for (const t of threads) {
    await db
      .updateTable("dirty_threads")
      .set({ marked_at: sql`now() + make_interval(secs => ${seconds})` })
      .where("installation_id", "=", installationId)
      .where("repo", "=", t.repo)
      .where("number", "=", t.number)
      .execute();
  }
}

/** Threads marked and not yet derived, over all installations: the derivation backlog. */
export async function dirtyThreadCount(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("dirty_threads").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Installations with marked threads and no drain job at all (queued, running, or held by a dead
 * worker): the worker's sweep queues theirs, the backstop for a mark whose drain was lost.
 */
export async function installationsMarkedWithoutDrain(db: Kysely<Database>): Promise<number[]> {
  const result = await sql<{ installation_id: string }>`
    select distinct d.installation_id from dirty_threads d
    where not exists (select 1 from graphile_worker._private_jobs j where j.key = ${DRAIN_KEY_PREFIX} || d.installation_id)`.execute(db);
  return result.rows.map((r) => Number(r.installation_id));
}
