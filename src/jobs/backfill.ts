import type { AppDeps } from "../deps.js";
import {
  ensureSearches,
  liveComments,
  pendingThreads,
  saveSearchPage,
  searches,
  splitSearch,
  storeFetchedThreads,
  threadCounts,
  threadsToReconcile,
  type StoredSearch,
} from "../db/backfill.js";
import { addJob } from "../db/events.js";
import { findInstallation, installationsWithRoster, loadModel } from "../db/rosters.js";
import { type PlanOptions, planSearches, SEARCH_RESULT_CAP, searchQuery, splitScope } from "../domain/backfill-plan.js";
import { toInstant } from "../domain/program.js";
import type { ThreadEvent } from "../domain/types.js";
import {
  classifyApiFailure,
  fetchThreads,
  fetchTimelinePage,
  type GqlRateLimit,
  type GqlThread,
  type GqlTimelineItem,
  searchThreads,
} from "../github/backfill.js";
import { installationOctokit, type Octokit } from "../github/octokit.js";
import { timelineEvents } from "../github/timeline.js";
import { dedupeKeys } from "../webhooks/normalise.js";

/** Page sizes the backfill starts with; a 502/504 halves the one that timed out. */
export const START_SIZES = { searchPage: 100, threadBatch: 50, timelinePage: 100 };

export interface BackfillCounters {
  requests: number;
  points: number;
  eventsStored: number;
  threadsFetched: number;
}

export interface BackfillStatus {
  searches: { done: number; total: number };
  threads: { fetched: number; found: number };
}

export type StepOutcome = { kind: "progress" } | { kind: "done" } | { kind: "rate-limited"; resumeAt: Date };

/**
 * One installation's backfill, one API call per `step()`: the next page of a search, or the next
 * batch of threads with their timelines. Every step commits its own progress, so stopping between
 * (or during) steps loses at most the call in flight.
 */
export class Backfill {
  readonly counters: BackfillCounters = { requests: 0, points: 0, eventsStored: 0, threadsFetched: 0 };
  readonly sizes = { ...START_SIZES };
  private readonly roots: string[];
  private searchesDone = false;

  private constructor(
    private readonly deps: AppDeps,
    private readonly octokit: Octokit,
    readonly installationId: number,
    roots: string[],
  ) {
    this.roots = roots;
  }

  /** Null when the installation has no valid roster (nothing to look for yet). */
  static async start(deps: AppDeps, octokit: Octokit, installationId: number, options: PlanOptions = {}): Promise<Backfill | null> {
    const [installation, model] = await Promise.all([findInstallation(deps.db, installationId), loadModel(deps.db, installationId)]);
    if (!installation || installation.deleted_at || !model) return null;
    const plan = planSearches(model, { login: installation.account_login, type: installation.account_type }, options);
    await ensureSearches(deps.db, installationId, plan);
    return new Backfill(deps, octokit, installationId, plan.map((s) => s.key));
  }

  async status(): Promise<BackfillStatus> {
    const all = await searches(this.deps.db, this.installationId, this.roots);
    const threads = await threadCounts(this.deps.db, this.installationId);
    const leaves = all.filter((s) => !("splitInto" in s));
    return { searches: { done: leaves.filter((s) => s.done).length, total: leaves.length }, threads };
  }

  async step(): Promise<StepOutcome> {
    try {
      // The plan is fixed for this run, so once its searches are done they stay done.
      const search = this.searchesDone ? undefined : (await searches(this.deps.db, this.installationId, this.roots)).find((s) => !s.done);
      if (search) {
        await this.searchPage(search);
        return { kind: "progress" };
      }
      this.searchesDone = true;
      const ids = await pendingThreads(this.deps.db, this.installationId, this.sizes.threadBatch);
      if (ids.length === 0) return { kind: "done" };
      const read = await readThreads(this.octokit, ids, this.sizes, (rate) => this.spent(rate));
      const events = [...read.values()].flatMap((r) => r.events);
      const { stored } = await storeFetchedThreads(this.deps.db, this.installationId, ids, events, this.deps.timing.deriveDelaySeconds);
      this.counters.eventsStored += stored;
      this.counters.threadsFetched += ids.length;
      return { kind: "progress" };
    } catch (error) {
      return this.failed(error);
    }
  }

  private async searchPage(search: StoredSearch): Promise<void> {
    const page = await searchThreads(this.octokit, searchQuery(search), this.sizes.searchPage, search.cursor);
    this.spent(page.rateLimit);
    if (search.cursor === null && page.issueCount > SEARCH_RESULT_CAP) {
      const parts = splitScope(search, toInstant(this.deps.now()));
      if (parts) {
        await splitSearch(this.deps.db, this.installationId, search, parts);
        return;
      }
      this.deps.log.warn({ query: searchQuery(search), found: page.issueCount }, "search matches more than GitHub returns in a one-minute range; only the first 1,000 are read");
    }
    const done = !page.pageInfo.hasNextPage || page.pageInfo.endCursor === null;
    await saveSearchPage(this.deps.db, this.installationId, search, { cursor: page.pageInfo.endCursor, done }, page.hits);
  }

  private spent(rate: GqlRateLimit | null): void {
    this.counters.requests += 1;
    this.counters.points += rate?.cost ?? 1;
  }

  private failed(error: unknown): StepOutcome {
    const failure = classifyApiFailure(error, this.deps.now());
    if (failure.kind === "rate-limited") return { kind: "rate-limited", resumeAt: failure.resumeAt };
    if (failure.kind === "too-large" && shrink(this.sizes)) {
      this.deps.log.warn({ sizes: this.sizes }, "GitHub timed out on a query; retrying the same cursor with smaller pages");
      return { kind: "progress" };
    }
    throw error;
  }
}

/** Halves every page size that can still shrink; false when all are at 1 (give up: the job retries later). */
function shrink(sizes: typeof START_SIZES): boolean {
  let shrunk = false;
  for (const key of Object.keys(sizes) as Array<keyof typeof START_SIZES>) {
    if (sizes[key] > 1) {
      sizes[key] = Math.max(1, Math.floor(sizes[key] / 2));
      shrunk = true;
    }
  }
  return shrunk;
}

export interface ReadThread {
  thread: GqlThread;
  items: GqlTimelineItem[];
  events: ThreadEvent[];
}

/** Threads by node id with their whole timelines (following each timeline's pages), as events. */
export async function readThreads(
  octokit: Octokit,
  ids: string[],
  sizes: Pick<typeof START_SIZES, "timelinePage">,
  spent: (rate: GqlRateLimit | null) => void,
): Promise<Map<string, ReadThread>> {
  const batch = await fetchThreads(octokit, ids, sizes.timelinePage);
  spent(batch.rateLimit);
  const read = new Map<string, ReadThread>();
  for (const thread of batch.threads) {
    if (!thread) continue;
    const items = thread.timelineItems.nodes.filter((n): n is GqlTimelineItem => n !== null);
    let page = thread.timelineItems.pageInfo;
    while (page.hasNextPage && page.endCursor) {
      const next = await fetchTimelinePage(octokit, thread.id, sizes.timelinePage, page.endCursor);
      spent(next.rateLimit);
      if (!next.timeline) break;
      items.push(...next.timeline.nodes.filter((n): n is GqlTimelineItem => n !== null));
      page = next.timeline.pageInfo;
    }
    read.set(thread.id, { thread, items, events: timelineEvents(thread, items) });
  }
  return read;
}

// ---------------------------------------------------------------------------------------------------
// Jobs

export interface BackfillJobPayload {
  installationId: number;
  programId?: string;
  since?: string;
}

/** One job runs at most this long, then queues its own continuation (a crash costs one slice at most). */
const SLICE_STEPS = 50;
const SLICE_MS = 60_000;

export function backfillJobRequest(payload: BackfillJobPayload, delaySeconds = 0) {
  // One queue per installation: a continuation never runs beside the slice that queued it.
  return { task: "backfill", payload: { ...payload }, key: `backfill:${payload.installationId}`, queue: `backfill:${payload.installationId}`, delaySeconds };
}

export async function backfillJob(deps: AppDeps, payload: BackfillJobPayload): Promise<void> {
  const octokit = await installationOctokit(deps, payload.installationId);
  const run = await Backfill.start(deps, octokit, payload.installationId, { programId: payload.programId, since: payload.since });
  if (!run) return;
  const started = Date.now();
  for (let steps = 0; ; steps += 1) {
    const outcome = await run.step();
    if (outcome.kind === "done") {
      deps.log.info({ ...run.counters, ...(await run.status()) }, "backfill complete");
      return;
    }
    if (outcome.kind === "rate-limited") {
      const delaySeconds = Math.max(1, Math.ceil((outcome.resumeAt.getTime() - deps.now().getTime()) / 1000) + 5);
      deps.log.info({ ...run.counters, resumeAt: outcome.resumeAt }, "backfill waits for GitHub's rate limit");
      await addJob(deps.db, backfillJobRequest(payload, delaySeconds));
      return;
    }
    if (steps + 1 >= SLICE_STEPS || Date.now() - started > SLICE_MS) {
      deps.log.info({ ...run.counters, ...(await run.status()) }, "backfill continues in the next slice");
      await addJob(deps.db, backfillJobRequest(payload));
      return;
    }
  }
}

/** Threads read again each night: open work touched within this window. */
export const RECONCILE_WINDOW_DAYS = 14;

/**
 * Nightly: re-reads the threads with a waiting request or an open task touched in the last 14 days
 * and stores what webhooks missed (events, and deletions of comments GitHub no longer has).
 * Without an installation, fans out one job per installation.
 */
export async function reconcileJob(deps: AppDeps, payload: { installationId?: number }): Promise<void> {
  if (payload.installationId === undefined) {
    for (const installationId of await installationsWithRoster(deps.db)) {
      await addJob(deps.db, { task: "reconcile", payload: { installationId }, key: `reconcile:${installationId}` });
    }
    return;
  }
  const installationId = payload.installationId;
  const since = new Date(deps.now().getTime() - RECONCILE_WINDOW_DAYS * 86_400_000);
  const ids = await threadsToReconcile(deps.db, installationId, since);
  if (ids.length === 0) return;
  const octokit = await installationOctokit(deps, installationId);
  let stored = 0;
  for (let i = 0; i < ids.length; i += START_SIZES.threadBatch) {
    const batch = ids.slice(i, i + START_SIZES.threadBatch);
    const read = await readThreads(octokit, batch, START_SIZES, () => {});
    const events: ThreadEvent[] = [];
    for (const [nodeId, thread] of read) {
      events.push(...thread.events);
      events.push(...(await deletedComments(deps, installationId, nodeId, thread)));
    }
    const result = await storeFetchedThreads(deps.db, installationId, [], events, deps.timing.deriveDelaySeconds);
    stored += result.stored;
  }
  deps.log.info({ threads: ids.length, repaired: stored }, "reconciliation done");
}

/** Comments we hold that GitHub no longer shows were deleted while no webhook reached us. */
async function deletedComments(deps: AppDeps, installationId: number, nodeId: string, read: ReadThread): Promise<ThreadEvent[]> {
  const present = new Set(read.items.flatMap((i) => (i.__typename === "IssueComment" ? [i.id] : [])));
  const stored = await liveComments(deps.db, installationId, nodeId);
  return stored
    .filter((c) => !present.has(c.commentId))
    .map((c) => ({ ...c.event, kind: "comment_deleted" as const, dedupeKey: dedupeKeys.comment_deleted(c.commentId) }));
}
