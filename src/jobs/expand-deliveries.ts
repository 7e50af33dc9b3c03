import type { AppDeps } from "../deps.js";
import { expandPendingDeliveries } from "../webhooks/expand.js";

/** Queued by every group commit that stored a delivery (src/db/inbox.ts); one queued at a time. */
export async function expandDeliveriesJob(deps: AppDeps): Promise<void> {
  const started = Date.now();
  const expanded = await expandPendingDeliveries(deps);
  deps.log.debug({ deliveries: expanded, ms: Date.now() - started }, "deliveries expanded");
}
