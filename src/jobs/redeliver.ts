/**
 * Failed webhook deliveries, sent again: every 15 minutes (cron), read GitHub's delivery log back to
 * the previous run and ask GitHub to redeliver, once, each GUID none of whose attempts succeeded and
 * that the app has not stored. What is selected and why: src/domain/redelivery.ts.
 *
 * Several instances: graphile-worker runs the cron line once per period, a run holds an advisory lock
 * so a second one at the same moment returns at once, and, whatever else happens, a GUID's request is
 * sent only by the instance whose claim insert won. The run's upper bound is stored only when the run
 * got through, so a run that failed halfway (GitHub 5xx, rate limit) is simply read again next time.
 */
import type { AppDeps } from "../deps.js";
import { tryWithLock } from "../db/comments.js";
import {
  claimedGuids,
  claimRedelivery,
  pendingClaims,
  pruneRedeliveryClaims,
  readCheckedUntil,
  reclaimRedelivery,
  releaseRedelivery,
  saveCheckedUntil,
  settleRedelivery,
  storedGuids,
} from "../db/redelivery.js";
import {
  type PendingClaim,
  REDELIVERY_POLICY,
  type RedeliveryPolicy,
  repairPendingClaims,
  type ScanWindow,
  scanWindow,
  selectRedeliveries,
} from "../domain/redelivery.js";
import { appOctokit, readDeliveryLog, requestRedelivery } from "../github/deliveries.js";
import type { Octokit } from "../github/octokit.js";
import { HANDLED_EVENTS } from "../webhooks/receive.js";

/** GitHub refuses these for good (too old, unknown id): asking again would be refused again. */
const PERMANENT_REFUSALS = new Set([400, 404, 410, 422]);
/** Claims are kept a while past GitHub's 3-day limit, then forgotten. */
const KEEP_CLAIMS_MS = 7 * 86_400_000;

export interface RedeliveryRun {
  window: ScanWindow;
  pages: number;
  attempts: number;
  /** GUIDs GitHub accepted to redeliver this run (repaired claims included). */
  requested: string[];
  /** GUIDs GitHub refused for good. */
  rejected: string[];
  /** Claims left by a crashed run, settled from the evidence in the log. */
  settled: string[];
  /** GUIDs that would have been requested, under DRY_RUN. */
  dryRun: string[];
}

export interface RedeliverOptions {
  handledEvents?: ReadonlySet<string>;
  policy?: RedeliveryPolicy;
}

export async function redeliverFailedJob(deps: AppDeps, _payload: unknown): Promise<void> {
  const run = await tryWithLock(deps.db, "redeliver-failed", (db) => redeliverFailed({ ...deps, db }));
  if (!run.ran) deps.log.info("another instance is redelivering right now; this run has nothing to do");
}

/** One run. `deps.db` should be a single connection (the job passes the one holding the lock). */
export async function redeliverFailed(deps: AppDeps, options: RedeliverOptions = {}): Promise<RedeliveryRun> {
  const policy = options.policy ?? REDELIVERY_POLICY;
  const handledEvents = options.handledEvents ?? new Set<string>(HANDLED_EVENTS);
  const now = deps.now();
  const { db, log } = deps;

  const checkedUntil = await readCheckedUntil(db);
  const pending = await pendingClaims(db, new Date(now.getTime() - policy.staleClaimMs));
  const window = scanWindow({ now, checkedUntil, pendingClaims: pending.map((c) => c.claimedAt), policy });
  const octokit = await appOctokit(deps);
  const deliveryLog = await readDeliveryLog(octokit, window);
  if (!deliveryLog.complete) {
    const oldest = deliveryLog.attempts[deliveryLog.attempts.length - 1]?.deliveredAt;
    log.warn({ pages: deliveryLog.pages, oldest, from: new Date(window.from).toISOString() }, "delivery log too long to read back to the last run; older failures not checked");
  }

  const guids = new Set([...deliveryLog.attempts.map((a) => a.guid), ...pending.map((c) => c.guid)]);
  const stored = await storedGuids(db, guids);
  const run: RedeliveryRun = { window, pages: deliveryLog.pages, attempts: deliveryLog.attempts.length, requested: [], rejected: [], settled: [], dryRun: [] };

  for (const repair of repairPendingClaims({ now, claims: pending, attempts: deliveryLog.attempts, stored, policy })) {
    if (repair.action === "settle") {
      await settleRedelivery(db, repair.guid, repair.outcome, now, repair.reason);
      run.settled.push(repair.guid);
      log.info({ guid: repair.guid, outcome: repair.outcome, reason: repair.reason }, "settled a redelivery claim left by an interrupted run");
      continue;
    }
    const claim: PendingClaim = { guid: repair.guid, deliveryId: repair.deliveryId, claimedAt: repair.claimedAt };
    if (deps.dryRun) {
      run.dryRun.push(claim.guid);
      log.info({ guid: claim.guid, deliveryId: claim.deliveryId, dryRun: true }, "dry run: redelivery not requested");
      continue;
    }
    if (!(await reclaimRedelivery(db, claim, now))) continue;
    log.info({ guid: claim.guid, claimedAt: claim.claimedAt.toISOString() }, "no sign the interrupted redelivery request went out; sending it again");
    await send(deps, octokit, run, claim.guid, claim.deliveryId, now);
  }

  const claimed = await claimedGuids(db, guids);
  for (const candidate of selectRedeliveries({ attempts: deliveryLog.attempts, window, stored, claimed, handledEvents })) {
    const detail = { guid: candidate.guid, deliveryId: candidate.deliveryId, event: candidate.event, action: candidate.action, installation: candidate.installationId, attempts: candidate.attempts, firstAttemptAt: candidate.firstAttemptAt };
    if (deps.dryRun) {
      run.dryRun.push(candidate.guid);
      log.info({ ...detail, dryRun: true }, "dry run: redelivery not requested");
      continue;
    }
    // Another instance claimed it first: it sends the request.
    if (!(await claimRedelivery(db, candidate, now))) continue;
    log.debug(detail, "requesting redelivery");
    await send(deps, octokit, run, candidate.guid, candidate.deliveryId, now);
  }

  await saveCheckedUntil(db, new Date(window.until));
  await pruneRedeliveryClaims(db, new Date(now.getTime() - KEEP_CLAIMS_MS));
  const summary = {
    from: new Date(window.from).toISOString(),
    until: new Date(window.until).toISOString(),
    pages: run.pages,
    attempts: run.attempts,
    requested: run.requested.length,
    rejected: run.rejected.length,
    settled: run.settled.length,
    ...(deps.dryRun ? { dryRun: run.dryRun.length } : {}),
  };
  if (run.requested.length + run.rejected.length + run.settled.length + run.dryRun.length > 0) log.info(summary, "failed deliveries handled");
  else log.debug(summary, "no failed deliveries to redeliver");
  return run;
}

/**
 * Sends one claimed request and records GitHub's answer. A refusal for good settles the claim as
 * rejected; anything that may pass (rate limit, 5xx, network) gives the claim back and ends the run
 * by throwing, so the next run reads the same stretch of the log again.
 */
async function send(deps: AppDeps, octokit: Octokit, run: RedeliveryRun, guid: string, deliveryId: number, now: Date): Promise<void> {
  try {
    await requestRedelivery(octokit, deliveryId);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && PERMANENT_REFUSALS.has(status)) {
      const message = error instanceof Error ? error.message : String(error);
      await settleRedelivery(deps.db, guid, "rejected", now, `${status}: ${message}`.slice(0, 500));
      run.rejected.push(guid);
      deps.log.warn({ guid, deliveryId, status, message }, "GitHub refused to redeliver; not asking again");
      return;
    }
    await releaseRedelivery(deps.db, guid);
    throw error;
  }
  await settleRedelivery(deps.db, guid, "requested", now);
  run.requested.push(guid);
}
