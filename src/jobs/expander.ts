import type { Logger } from "probot";
import type { AppDeps } from "../deps.js";
import { withDatabaseDeadline } from "../db/deadline.js";
import { expandPendingDeliveries } from "../webhooks/expand.js";

export interface Expander {
  /** Expands what is pending now, or once more after the run under way; never throws. */
  expandSoon(): void;
  /** Resolves once no run is under way. */
  idle(): Promise<void>;
}

/**
 * The worker's expansion of stored deliveries (src/webhooks/expand.ts), in process: one run at a
 * time, told by this process's request path after each commit that stored a delivery, and by the
 * worker's sweep for deliveries stored by a process without a worker or one that stopped. No
 * graphile-worker job: queuing one per commit cost the request path a third of its rate. A run that
 * fails (database gone) is logged; the next sweep tries again.
 */
export function expanderFor(deps: Pick<AppDeps, "db" | "log" | "timing">, log: Logger): Expander {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async () => {
    do {
      again = false;
      try {
        const expanded = await expandPendingDeliveries(deps);
        if (expanded > 0) log.debug({ deliveries: expanded }, "deliveries expanded");
      } catch (error) {
        log.warn({ err: error }, "expanding stored deliveries failed; the next sweep tries again");
        // Not at once: the next sweep, a second from now, is the retry.
        again = false;
        return;
      }
    } while (again);
  };
  const expandSoon = (): void => {
    if (running) {
      again = true;
      return;
    }
    // Not under the deadline of the webhook request whose commit asked for it (src/db/deadline.ts).
    running = withDatabaseDeadline(undefined, run).finally(() => {
      running = null;
      // Asked again between the run's last look and its end: look once more.
      if (again) expandSoon();
    });
  };
  return {
    expandSoon,
    idle: async () => {
      while (running) await running;
    },
  };
}
