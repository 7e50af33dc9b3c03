import type { AppDeps } from "../deps.js";
import { acceptDeliveries, type DeliveryToAccept } from "../db/inbox.js";
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

/** One group commit per database handle, so every concurrent delivery of this process can join it. */
const committers = new WeakMap<AppDeps["db"], (item: DeliveryToAccept) => Promise<boolean>>();
function committerFor(db: AppDeps["db"]): (item: DeliveryToAccept) => Promise<boolean> {
  let committer = committers.get(db);
  if (!committer) {
    committer = groupCommit({ commit: (items) => acceptDeliveries(db, items), maxBatch: MAX_DELIVERIES_PER_COMMIT });
    committers.set(db, committer);
  }
  return committer;
}

/**
 * Everything GitHub sends lands here, already verified (src/webhooks/http.ts): the body is stored as
 * it came, unparsed, with the delivery's GUID, in one statement shared with the deliveries arriving
 * meanwhile (src/webhooks/group-commit.ts), and the 2xx goes only after that commit. Parsing the body
 * (JSON.parse of the bench's 18 kB payloads took about a sixth of the request path's rate), turning it
 * into events, dirty marks and follow-up jobs is the worker's (src/webhooks/expand.ts, src/jobs/expander.ts), as
 * GitHub advises: answer fast, work after. A throw (database down) becomes a 500, so GitHub records the
 * delivery as failed and the redelivery job can ask for it again.
 */
export function receiveDeliveries(
  deps: Pick<AppDeps, "db" | "log">,
  /** Called after a commit that stored a new delivery: this process's worker, if it runs one, expands at once. */
  onStored: () => void = () => {},
): (delivery: VerifiedDelivery) => Promise<void> {
  return async (delivery) => {
    if (!HANDLED.has(delivery.name)) return;
    const isNew = await committerFor(deps.db)({ id: delivery.id, event: delivery.name, body: delivery.body });
    if (isNew) onStored();
    else deps.log.child({ delivery: delivery.id, event: delivery.name }).info("duplicate delivery ignored");
  };
}
