import type { ApplicationFunction } from "probot";
import type { AppDeps } from "./deps.js";
import { receiveDelivery } from "./webhooks/receive.js";
import { dashboardRoutes } from "./dashboard/routes.js";
import { healthRoute } from "./reports/health.js";
import { lifecycleRoutes } from "./reports/lifecycle-routes.js";
import { reportRoutes } from "./reports/routes.js";

/** Events the app stores; see the README for what each is used for. */
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

/** The Probot app: wiring only. Handlers store deliveries; jobs do the work; routes read. */
export function createApp(deps: AppDeps): ApplicationFunction {
  return (app, { addHandler }) => {
    app.on([...HANDLED_EVENTS], async (context) => {
      const log = context.log.child({
        delivery: context.id,
        event: context.name,
        repo: (context.payload as { repository?: { full_name?: string } }).repository?.full_name,
        installation: (context.payload as { installation?: { id?: number } }).installation?.id,
      });
      await receiveDelivery(deps, { id: context.id, name: context.name, payload: context.payload, log });
    });
    addHandler(healthRoute(deps));
    // Before the report routes, which answer every other /api/v1 path with REPORT_TOKENS.
    addHandler(lifecycleRoutes(deps));
    addHandler(reportRoutes(deps));
    addHandler(dashboardRoutes(deps));
  };
}
