import type { Kysely } from "kysely";
import { replaceThreadState } from "../../src/db/derived.js";
import type { Database } from "../../src/db/schema.js";
import type { DerivedRequest } from "../../src/domain/types.js";
import { INSTALLATION_ID, REPO, mentee, mentee2, mentor, mentor2, seedWorld, worldModel } from "./scenario.js";
import type { GhUser } from "./payloads.js";

/** The CSV report's first line, as a spreadsheet or script that reads it expects it: spelled out, not imported. */
export const CSV_HEADER_LINE = "program,mentor,requests,answered,waiting,overdue,p50_seconds,p90_seconds,max_seconds,within_sla,answered_first,closed_unanswered";

/** The clock of every report test: amp-2026 is running, #103 has waited past the 48 h SLA. */
export const NOW = new Date("2026-08-10T09:30:00Z");

export function waitingRequest(number: number, openedAt: string, who: GhUser = mentee, program = "amp-2026"): DerivedRequest {
  return {
    programId: program,
    projectId: "cli",
    menteeId: who.id,
    menteeLogin: who.login,
    repo: REPO,
    number,
    threadKind: "pr",
    kind: "ready_for_review",
    openedAt,
    openedBy: `pr_opened:PR_test${number}`,
    response: null,
    firstMentorResponse: null,
  };
}

/** Answered by `by`, who is one of the project's mentors. */
export function answeredRequest(number: number, openedAt: string, who: GhUser, by: GhUser, latencySeconds: number): DerivedRequest {
  const response = {
    at: new Date(Date.parse(openedAt) + latencySeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    kind: "review" as const,
    responderId: by.id,
    responderLogin: by.login,
    latencySeconds,
  };
  return { ...waitingRequest(number, openedAt, who), response, firstMentorResponse: response };
}

/**
 * The scenario world (amp-2026, project cli, two mentors, two mentees) with three requests:
 * two answered (1 h by mentor-one, 2 h by mentor-two) and one waiting since 2026-08-05.
 */
export async function seedReportWorld(db: Kysely<Database>, model = worldModel()): Promise<void> {
  await seedWorld(db, model);
  await seedRequests(db, [
    answeredRequest(101, "2026-07-01T09:00:00Z", mentee, mentor, 3600),
    answeredRequest(102, "2026-07-02T10:00:00Z", mentee2, mentor2, 7200),
    waitingRequest(103, "2026-08-05T09:00:00Z", mentee),
  ]);
}

/** One thread per request, as derivation stores them. */
export async function seedRequests(db: Kysely<Database>, requests: DerivedRequest[], installationId = INSTALLATION_ID): Promise<void> {
  for (const r of requests) await replaceThreadState(db, installationId, { repo: r.repo, number: r.number }, null, [r]);
}
