/**
 * Which failed webhook deliveries to ask GitHub to send again. Pure: the job passes in GitHub's
 * delivery log, what the database already holds and the clock.
 *
 * GitHub never retries a failed delivery by itself. Its documented pattern, which this follows, is
 * to read the app's delivery log (`GET /app/hook/deliveries`, newest first) back to the previous
 * run and redeliver every GUID none of whose attempts succeeded. Decisions (also in the README):
 *
 * - **Success** is any attempt GitHub logged with a 2xx status code (or status "OK"). A GUID with
 *   several attempts, one of which succeeded, is never redelivered.
 * - **Already stored** GUIDs (our `deliveries` table) are skipped even when GitHub logged a failure:
 *   the app answered too late for GitHub (it waits 10 s) but committed the delivery.
 * - **Only events the app handles** are redelivered: any other event is acknowledged and dropped, so
 *   sending it again would change nothing.
 * - **Only once:** a GUID the app has claimed before (the `redelivery_requests` table) is never
 *   selected again, whatever happened to the redelivery. Two instances race on that claim, and only
 *   the one whose insert wins sends the request.
 * - **The window:** attempts newer than the last run's upper bound minus a 5-minute overlap (GitHub's
 *   log may show an attempt a little late), and never older than 3 days, GitHub's limit for
 *   redelivery. The newest 2 minutes are left to the next run, so an attempt GitHub is still timing
 *   out, or a delivery the app is still committing, is not judged too early. A GUID counts in the
 *   window of its newest attempt.
 * - **A crash between claim and request** leaves a claim without an outcome. After 10 minutes the
 *   next run looks for evidence in GitHub's log: a redelivery attempt of that GUID at or after the
 *   claim means the request went out, and the claim is settled; so does the GUID being stored or
 *   having succeeded meanwhile. Otherwise the request is sent again. At worst, when GitHub's log
 *   lags, one GUID is requested twice, and the second copy is deduplicated on its GUID. A claim
 *   left for nearly 3 days (no run got through since) is given up: GitHub would refuse it.
 */

export interface DeliveryAttempt {
  /** GitHub's id of this attempt: the one `POST /app/hook/deliveries/{id}/attempts` takes. */
  id: number;
  /** The delivery's GUID (`X-GitHub-Delivery`), shared by every attempt and redelivery of it. */
  guid: string;
  /** ISO timestamp of the attempt. */
  deliveredAt: string;
  redelivery: boolean;
  /** GitHub's summary of the response: "OK", "Invalid HTTP Response: 500", "timed out"… */
  status: string;
  /** The HTTP status the app answered; 0 or similar when there was no answer. */
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
}

export interface RedeliveryPolicy {
  /** GitHub redelivers nothing older than 3 days. */
  maxAgeMs: number;
  /** Attempts this recent are left to the next run. */
  settleMs: number;
  /** How far before the previous run's upper bound the next run starts reading. */
  overlapMs: number;
  /** A claim this old without an outcome is from a run that crashed. */
  staleClaimMs: number;
  /** How much earlier than our clock GitHub's may stamp an attempt we caused. */
  clockSkewMs: number;
}

const MINUTE = 60_000;

export const REDELIVERY_POLICY: RedeliveryPolicy = {
  maxAgeMs: 3 * 24 * 60 * MINUTE,
  settleMs: 2 * MINUTE,
  overlapMs: 5 * MINUTE,
  staleClaimMs: 10 * MINUTE,
  clockSkewMs: MINUTE,
};

/** Attempts with `from < deliveredAt <= until`, in epoch milliseconds. */
export interface ScanWindow {
  from: number;
  until: number;
}

export interface WindowInput {
  now: Date;
  /** The upper bound of the last completed run; null before the first. */
  checkedUntil: Date | null;
  /** When the claims left without an outcome were made: their evidence must be in the log read this run. */
  pendingClaims?: readonly Date[];
  policy?: RedeliveryPolicy;
}

/** How far back to read GitHub's log this run. */
export function scanWindow({ now, checkedUntil, pendingClaims = [], policy = REDELIVERY_POLICY }: WindowInput): ScanWindow {
  const t = now.getTime();
  const until = t - policy.settleMs;
  const floor = t - policy.maxAgeMs;
  let from = checkedUntil === null ? floor : checkedUntil.getTime() - policy.overlapMs;
  for (const claimedAt of pendingClaims) {
    const needed = claimedAt.getTime() - policy.overlapMs - policy.clockSkewMs;
    // A claim past the limit is given up without evidence (see repairPendingClaims): no reason to read back for it.
    if (needed >= floor) from = Math.min(from, needed);
  }
  from = Math.max(from, floor);
  return { from: Math.min(from, until), until };
}

/** Whether reading a page that reaches back to `oldest` has read everything the window needs. */
export function reachesBack(oldestDeliveredAt: string, window: ScanWindow): boolean {
  return Date.parse(oldestDeliveredAt) <= window.from;
}

export function attemptSucceeded(attempt: Pick<DeliveryAttempt, "status" | "statusCode">): boolean {
  return (attempt.statusCode >= 200 && attempt.statusCode < 300) || attempt.status === "OK";
}

export interface RedeliveryCandidate {
  guid: string;
  /** The attempt to redeliver: the GUID's newest. Any attempt of a GUID carries the same payload. */
  deliveryId: number;
  event: string;
  action: string | null;
  installationId: number | null;
  /** When GitHub first tried to deliver it: candidates come oldest first. */
  firstAttemptAt: string;
  attempts: number;
}

export interface SelectionInput {
  /** GitHub's delivery log as read this run, any order, possibly reaching outside the window. */
  attempts: readonly DeliveryAttempt[];
  window: ScanWindow;
  /** GUIDs in the `deliveries` table. */
  stored: ReadonlySet<string>;
  /** GUIDs claimed by an earlier run or another instance. */
  claimed: ReadonlySet<string>;
  /** Events the app stores; others are never redelivered. */
  handledEvents: ReadonlySet<string>;
}

/** Every GUID to redeliver now, oldest first. */
export function selectRedeliveries({ attempts, window, stored, claimed, handledEvents }: SelectionInput): RedeliveryCandidate[] {
  const candidates: RedeliveryCandidate[] = [];
  for (const [guid, all] of byGuid(attempts)) {
    if (stored.has(guid) || claimed.has(guid)) continue;
    if (all.some(attemptSucceeded)) continue;
    const newest = all[all.length - 1]!;
    const newestAt = Date.parse(newest.deliveredAt);
    if (!(newestAt > window.from && newestAt <= window.until)) continue;
    if (!handledEvents.has(newest.event)) continue;
    candidates.push({
      guid,
      deliveryId: newest.id,
      event: newest.event,
      action: newest.action,
      installationId: newest.installationId,
      firstAttemptAt: all[0]!.deliveredAt,
      attempts: all.length,
    });
  }
  return candidates.sort((a, b) => Date.parse(a.firstAttemptAt) - Date.parse(b.firstAttemptAt) || a.deliveryId - b.deliveryId);
}

export interface PendingClaim {
  guid: string;
  deliveryId: number;
  claimedAt: Date;
}

export type ClaimRepair =
  | { guid: string; action: "settle"; outcome: "requested" | "unneeded" | "rejected"; reason: string }
  | { guid: string; action: "resend"; deliveryId: number; claimedAt: Date };

export interface RepairInput {
  now: Date;
  /** Claims without an outcome, old enough to be from a run that crashed. */
  claims: readonly PendingClaim[];
  attempts: readonly DeliveryAttempt[];
  stored: ReadonlySet<string>;
  policy?: RedeliveryPolicy;
}

/** What to do with each claim a crashed run left behind. */
export function repairPendingClaims({ now, claims, attempts, stored, policy = REDELIVERY_POLICY }: RepairInput): ClaimRepair[] {
  const log = byGuid(attempts);
  const floor = now.getTime() - policy.maxAgeMs;
  return claims.map((claim): ClaimRepair => {
    // The log read this run does not reach back to it (scanWindow), and GitHub would refuse it anyway.
    if (claim.claimedAt.getTime() - policy.overlapMs - policy.clockSkewMs < floor) {
      return { guid: claim.guid, action: "settle", outcome: "rejected", reason: "interrupted, and now past GitHub's 3-day limit" };
    }
    const seen = log.get(claim.guid) ?? [];
    const since = claim.claimedAt.getTime() - policy.clockSkewMs;
    if (seen.some((a) => a.redelivery && Date.parse(a.deliveredAt) >= since)) {
      return { guid: claim.guid, action: "settle", outcome: "requested", reason: "GitHub logged the redelivery" };
    }
    if (stored.has(claim.guid)) return { guid: claim.guid, action: "settle", outcome: "unneeded", reason: "stored meanwhile" };
    if (seen.some(attemptSucceeded)) return { guid: claim.guid, action: "settle", outcome: "unneeded", reason: "delivered meanwhile" };
    return { guid: claim.guid, action: "resend", deliveryId: claim.deliveryId, claimedAt: claim.claimedAt };
  });
}

/** Attempts grouped by GUID, each group oldest first (ties by id). */
function byGuid(attempts: readonly DeliveryAttempt[]): Map<string, DeliveryAttempt[]> {
  const groups = new Map<string, DeliveryAttempt[]>();
  for (const attempt of attempts) {
    const group = groups.get(attempt.guid);
    if (group) group.push(attempt);
    else groups.set(attempt.guid, [attempt]);
  }
  for (const group of groups.values()) group.sort((a, b) => Date.parse(a.deliveredAt) - Date.parse(b.deliveredAt) || a.id - b.id);
  return groups;
}
