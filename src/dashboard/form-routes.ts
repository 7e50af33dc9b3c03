/**
 * The dashboard's forms record through the same functions as the API (src/reports/evaluations.ts,
 * src/reports/check-ins.ts), so the same people may record the same things, checked the same way.
 * A form without its session's CSRF token records nothing.
 */
import type { ServerResponse } from "node:http";
import type { AppDeps } from "../deps.js";
import { submitCheckIn } from "../reports/check-ins.js";
import { submitEvaluation } from "../reports/evaluations.js";
import { dashboardPaths } from "../render/dashboard/paths.js";
import { menteePageFor, type Viewer } from "./pages.js";
import { messagePage, redirect, sendHtml } from "./respond.js";
import { answer } from "./answer.js";
import { isCsrfToken, type Session } from "./session.js";

const OUTCOMES = ["pass", "fail", "extend"] as const;

export async function recordFromForm(
  deps: AppDeps,
  res: ServerResponse,
  input: {
    viewer: Viewer;
    csrf: string;
    session: Session;
    form: URLSearchParams | null;
    programId: string;
    mentee: string;
    installationId: number | null;
    resource: "evaluations" | "check-ins";
  },
): Promise<void> {
  const { form, viewer } = input;
  if (!form || !isCsrfToken(deps.dashboard!.sessionKey, input.session, form.get("csrf") ?? undefined)) {
    return sendHtml(res, 403, messagePage("Not recorded", "The form was missing its security token (or it came from another site). Open the page again and send the form from there.", { href: dashboardPaths.mentee(input.programId, input.mentee), label: "Back to the page" }));
  }
  const text = (key: string) => {
    const value = form.get(key)?.trim();
    return value ? value : undefined;
  };
  const note = text("note");
  const outcome = text("outcome");
  const rating = text("rating");
  const outcomeResult =
    input.resource === "check-ins"
      ? await submitCheckIn(deps, input.programId, viewer, { mentee: input.mentee, note, installationId: input.installationId })
      : outcome !== undefined && !(OUTCOMES as readonly string[]).includes(outcome)
        ? ({ status: 422, error: "outcome must be pass, fail or extend" } as const)
        : outcome === "extend" && text("extendTo") !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(text("extendTo")!)
          ? ({ status: 422, error: "the new due date must be a date (YYYY-MM-DD)" } as const)
          : rating !== undefined && !/^[1-5]$/.test(rating)
          ? ({ status: 422, error: "rating must be 1 to 5" } as const)
          : await submitEvaluation(deps, input.programId, viewer, {
              mentee: input.mentee,
              round: text("round") ?? "",
              project: text("project"),
              outcome: outcome as (typeof OUTCOMES)[number] | undefined,
              // The date field is sent even when empty; it belongs to "extend" only.
              extendTo: outcome === "extend" ? text("extendTo") : undefined,
              rating: rating === undefined ? undefined : Number(rating),
              note,
              installationId: input.installationId,
            });
  if ("body" in outcomeResult) {
    return redirect(res, `${dashboardPaths.mentee(input.programId, input.mentee)}?recorded=${input.resource === "check-ins" ? "check-in" : "evaluation"}`);
  }
  // Shown on the page itself, with the form again, under the status the API would give.
  const page = await menteePageFor(deps, viewer, input.programId, input.mentee, input.installationId, input.csrf);
  const status = outcomeResult.status;
  const query = new URLSearchParams();
  if (page.status !== 200) return answer(res, { status: status === 409 ? 409 : 403, message: outcomeResult.error }, input.session, input.csrf, query, "page");
  return answer(res, page, input.session, input.csrf, query, "mentee", undefined, `Not recorded: ${outcomeResult.error}`, status);
}
