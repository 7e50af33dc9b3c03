/**
 * Derivation by dirty set: the request path marks the threads a delivery changed (src/db/dirty-threads.ts)
 * and this job derives them in batches, each thread once however many deliveries touched it, with the
 * roster and enrolments read once per batch. A thread touched while it is being derived keeps its mark
 * and is derived again, so nothing a delivery brought is left underived.
 */
import type { AppDeps } from "../deps.js";
import { claimDueThreads, type ClaimedThread, type DirtyMark, markThreadsDirty, postponeThreads, secondsUntilNextDue, settleClaims } from "../db/dirty-threads.js";
import { addJob, drainJob } from "../db/events.js";
import { type Derived, deriveThread, deriveThreads, loadDerivationContext } from "./derive-thread.js";
import { enqueueProgressRefresh } from "./refresh-progress.js";

export interface DeriveDirtyPayload {
  installationId: number;
}

/** Threads claimed at a time: a failed batch re-derives at most this many. */
const BATCH = 100;
/** A drain hands over to a fresh job after this long, so one installation's flood never starves another's. */
const BUDGET_MS = 20_000;
/** A thread whose derivation threw is tried again this long afterwards, not in a tight loop. */
const FAILED_RETRY_SECONDS = 60;
/** The longest a continuation waits: what a thread marked meanwhile may wait beyond its debounce. */
const LOOK_AGAIN_SECONDS = 5;

export async function deriveDirtyJob(deps: AppDeps, payload: DeriveDirtyPayload, job: { id: number }): Promise<void> {
  const { installationId } = payload;
  const debounce = deps.timing.deriveDelaySeconds;
  const started = Date.now();
  let derivedThreads = 0;
  while (Date.now() - started < BUDGET_MS) {
    const claimed = await claimDueThreads(deps.db, installationId, job.id, debounce, BATCH);
    if (claimed.length === 0) break;
    derivedThreads += await deriveBatch(deps, installationId, job.id, claimed);
  }
  const due = await secondsUntilNextDue(deps.db, installationId, debounce, job.id);
  // The request path's drain jobs keep the queued one's time (preserve_run_at), so a continuation queued
  // for a postponed thread a minute away would hold back threads marked meanwhile: look again sooner.
  const wait = due === null ? null : Math.min(due, Math.max(debounce, LOOK_AGAIN_SECONDS));
  // This job is running, so graphile-worker queues the continuation as a new job under the same key.
  if (wait !== null) await addJob(deps.db, drainJob(installationId, wait));
  deps.log.debug({ installation: installationId, threads: derivedThreads, next: wait }, "dirty threads derived");
}

/**
 * Derives the claimed threads together; those derived leave the set unless touched meanwhile, the rest
 * are released. A batch that fails is derived again thread by thread, so one thread that cannot be
 * derived waits alone (postponed) while its neighbours go on.
 */
async function deriveBatch(deps: AppDeps, installationId: number, jobId: number, claimed: ClaimedThread[]): Promise<number> {
  const derived: ClaimedThread[] = [];
  try {
    const context = await loadDerivationContext(deps, installationId);
    // Without a roster nothing derives; loading one re-derives every thread (rederive-installation).
    if (!context) {
      derived.push(...claimed);
      return 0;
    }
    const outcomes: Array<{ thread: ClaimedThread; touched: Derived }> = [];
    const failed: Array<{ thread: ClaimedThread; error: unknown }> = [];
    try {
      const touched = await deriveThreads(deps, context, installationId, claimed);
      claimed.forEach((thread, i) => outcomes.push({ thread, touched: touched[i]! }));
    } catch {
      for (const thread of claimed) {
        try {
          outcomes.push({ thread, touched: await deriveThread(deps, context, { installationId, repo: thread.repo, number: thread.number }) });
        } catch (error) {
          failed.push({ thread, error });
        }
      }
    }
    derived.push(...outcomes.map((o) => o.thread));
    if (failed.length > 0) {
      await postponeThreads(deps.db, installationId, failed.map((f) => f.thread), FAILED_RETRY_SECONDS);
      // All failing is likely the database, not a thread: the job fails, and graphile-worker retries it with back-off.
      if (failed.length === claimed.length) throw failed[0]!.error;
      deps.log.warn({ err: failed[0]!.error, threads: failed.map((f) => `${f.thread.repo}#${f.thread.number}`) }, "threads not derived; retried later");
    }
    const projects = new Map<string, { programId: string; projectId: string }>();
    const followUps: DirtyMark[] = [];
    for (const { thread, touched } of outcomes) {
      for (const p of touched.projects) projects.set(`${p.programId}/${p.projectId}`, p);
      for (const issue of touched.linkedIssues) followUps.push({ installationId, repo: thread.repo, number: issue });
      if (touched.movedTo) followUps.push({ installationId, ...touched.movedTo });
    }
    await markThreadsDirty(deps.db, followUps);
    for (const { programId, projectId } of projects.values()) await enqueueProgressRefresh(deps, installationId, programId, projectId);
    return derived.length;
  } finally {
    await settleClaims(deps.db, installationId, jobId, derived);
  }
}
