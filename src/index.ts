import type { ApplicationFunction } from "probot";
import type { AppDeps } from "./deps.js";
import { dashboardRoutes } from "./dashboard/routes.js";
import { healthRoute } from "./reports/health.js";
import { lifecycleRoutes } from "./reports/lifecycle-routes.js";
import { reportRoutes } from "./reports/routes.js";

/**
 * The Probot app: wiring only. Webhooks do not pass through Probot: the server's endpoint
 * (src/webhooks/http.ts) hands them to `receiveDeliveries` (src/webhooks/receive.ts), which stores
 * them; jobs do the work; these routes read.
 */
export function createApp(deps: AppDeps): ApplicationFunction {
  return (_app, { addHandler }) => {
    addHandler(healthRoute(deps));
    // Before the report routes, which answer every other /api/v1 path with REPORT_TOKENS.
    addHandler(lifecycleRoutes(deps));
    addHandler(reportRoutes(deps));
    addHandler(dashboardRoutes(deps));
  };
}
