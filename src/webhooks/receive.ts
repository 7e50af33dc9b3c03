import type { AppDeps } from "../deps.js";
import { acceptDeliveries, type DeliveryToAccept, queueExpansion } from "../db/inbox.js";
import { groupCommit } from "./group-commit.js";
import type { VerifiedDelivery } from "./http.js";

/** Events the app stores; see the README for what each is used for. Others are answered and dropped. */
export const HANDLED_EVENTS = [
  "issues",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "installation",
  "installation_repositories",
  "push",
] as const;
const HANDLED: ReadonlySet<string> = new Set(HANDLED_EVENTS);

/** Deliveries stored together at most: about a tenth of a second's worth at the bench's saturation. */
const MAX_DELIVERIES_PER_COMMIT = 200;

/** While deliveries keep coming, the expansion is queued at most this often (the first time at once). */
const KICK_INTERVAL_MS = 100;

/** One group commit per database handle, so every concurrent delivery of this process can join it. */
const committers = new WeakMap<AppDeps["db"], (item: DeliveryToAccept) => Promise<boolean>>();
function committerFor(deps: Pick<AppDeps, "db" | "log">): (item: DeliveryToAccept) => Promise<boolean> {
  let committer = committers.get(deps.db);
  if (!committer) {
    const { db } = deps;
    const kick = expansionKicker(deps);
    committer = groupCommit({
      commit: async (items) => {
        const fresh = await acceptDeliveries(db, items);
        if (fresh.some(Boolean)) kick();
        return fresh;
      },
      maxBatch: MAX_DELIVERIES_PER_COMMIT,
    });
    committers.set(db, committer);
  }
  return committer;
}

/**
 * Queues the expansion job after commits that stored a delivery, off the request path: at once when
 * idle, then at most once per KICK_INTERVAL_MS under load, when the job is busy anyway. A kick that
 * fails, or a process that stops before it, leaves the delivery pending for the worker's sweep
 * (queueExpansionIfPending in src/jobs/worker.ts): late, never lost.
 */
function expansionKicker(deps: Pick<AppDeps, "db" | "log">): () => void {
  let scheduled = false;
  let last = 0;
  return () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      last = Date.now();
      queueExpansion(deps.db).catch((error: unknown) => deps.log.warn({ err: error }, "could not queue the expansion; the worker's sweep will"));
    }, Math.max(0, last + KICK_INTERVAL_MS - Date.now()));
  };
}

/**
 * Everything GitHub sends lands here, already verified (src/webhooks/http.ts): the body is stored as
 * it came, with the delivery's GUID, in one statement shared with the deliveries arriving meanwhile
 * (src/webhooks/group-commit.ts), and the 2xx goes only after that commit. Turning the body into events,
 * dirty marks and follow-up jobs is the expand-deliveries job's (src/webhooks/expand.ts), as GitHub
 * advises: answer fast, work after. A throw (database down) becomes a 500, so GitHub records the
 * delivery as failed and the redelivery job can ask for it again.
 */
export function receiveDeliveries(deps: Pick<AppDeps, "db" | "log">): (delivery: VerifiedDelivery) => Promise<void> {
  return async (delivery) => {
    if (!HANDLED.has(delivery.name)) return;
    const payload = delivery.payload as { action?: unknown; installation?: { id?: unknown } };
    const isNew = await committerFor(deps)({
      id: delivery.id,
      event: delivery.name,
      action: typeof payload.action === "string" ? payload.action : null,
      installationId: typeof payload.installation?.id === "number" ? payload.installation.id : null,
      body: delivery.body,
    });
    if (!isNew) deps.log.child({ delivery: delivery.id, event: delivery.name }).info("duplicate delivery ignored");
  };
}
