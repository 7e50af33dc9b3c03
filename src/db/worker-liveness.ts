/**
 * Liveness of graphile-worker workers across processes. graphile-worker frees the jobs of a worker
 * that died (kill -9, a lost machine) only after 4 hours; meanwhile their threads stay underived.
 * Each process records a heartbeat per id its jobs are locked by (`locked_by`: in graphile-worker
 * 0.17 the worker pool's id); any process unlocks the jobs of workers whose
 * heartbeat is stale, through graphile-worker's `force_unlock_workers`, so a survivor or a restart
 * takes them over within minutes.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";

export async function recordHeartbeats(db: Kysely<Database>, workerIds: string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await db
    .insertInto("worker_heartbeats")
    .values(workerIds.map((worker_id) => ({ worker_id })))
    .onConflict((oc) => oc.column("worker_id").doUpdateSet({ beat_at: sql`now()` }))
    .execute();
}

/** A process that stops cleanly leaves no rows behind; its workers have released their jobs already. */
export async function forgetWorkers(db: Kysely<Database>, workerIds: string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await db.deleteFrom("worker_heartbeats").where("worker_id", "in", workerIds).execute();
}

/**
 * Unlocks every job (and job queue) locked for longer than `deadAfterSeconds` by a worker without a
 * heartbeat that recent, and returns those workers' ids. A worker that never beat at all (killed
 * between locking a job and its first heartbeat) counts as dead too. Database time throughout, so
 * clocks of different machines never disagree.
 */
export async function unlockDeadWorkers(db: Kysely<Database>, deadAfterSeconds: number): Promise<string[]> {
  const staleBefore = sql`now() - make_interval(secs => ${deadAfterSeconds})`;
  const dead = await sql<{ worker_id: string }>`
    select distinct locks.locked_by as worker_id
    from (
      select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
      union all
      select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null
    ) as locks
    where locks.locked_at < ${staleBefore}
      and not exists (
        select 1 from worker_heartbeats h where h.worker_id = locks.locked_by and h.beat_at >= ${staleBefore}
      )`.execute(db);
  const ids = dead.rows.map((r) => r.worker_id);
  if (ids.length > 0) await sql`select graphile_worker.force_unlock_workers(${ids}::text[])`.execute(db);
  // Rows of workers that are gone, whether their jobs needed unlocking or not.
  await sql`delete from worker_heartbeats where beat_at < ${staleBefore}`.execute(db);
  return ids;
}
