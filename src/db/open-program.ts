/**
 * What an open program's report reads (issue 18): the event log of every PR opened in the event's
 * window in its repositories, and the requests derived for the program.
 */
import { type Kysely, sql } from "kysely";
import { toInstant } from "../domain/program.js";
import type { DerivedRequest, RequestKind, ResponseKind, ThreadEvent, ThreadKind } from "../domain/types.js";
import { toThreadEvent } from "./events.js";
import type { Database } from "./schema.js";

/** Each event PR's whole log, one list per PR (ordered by repo, number). */
export async function eventPrLogs(
  db: Kysely<Database>,
  installationId: number,
  repos: string[],
  window: { from: string; to: string },
): Promise<ThreadEvent[][]> {
  if (repos.length === 0) return [];
  // The event's PRs first (their openings in the window), then their logs by the thread index.
  const prs = db
    .selectFrom("events")
    .select(["repo", "number"])
    .distinct()
    .where("installation_id", "=", installationId)
    .where("kind", "=", "pr_opened")
    .where("repo", "=", sql<string>`any(${repos}::text[])`)
    .where("occurred_at", ">=", new Date(window.from))
    .where("occurred_at", "<", new Date(window.to));
  const rows = await db
    .selectFrom("events as e")
    .innerJoin(prs.as("p"), (join) => join.onRef("p.repo", "=", "e.repo").onRef("p.number", "=", "e.number"))
    .select(["e.kind", "e.dedupe_key", "e.occurred_at", "e.actor_id", "e.actor_login", "e.actor_is_bot", "e.repo", "e.number", "e.thread_kind", "e.thread_author_id", "e.data"])
    .where("e.installation_id", "=", installationId)
    .orderBy("e.repo")
    .orderBy("e.number")
    .orderBy("e.occurred_at")
    .orderBy("e.dedupe_key")
    .execute();
  const logs: ThreadEvent[][] = [];
  let key = "";
  for (const row of rows) {
    const thread = `${row.repo}#${row.number}`;
    if (thread !== key) logs.push([]);
    key = thread;
    logs[logs.length - 1]!.push(toThreadEvent(row));
  }
  return logs;
}

/** The program's requests, as the statistics take them. */
export async function programRequests(db: Kysely<Database>, installationId: number, programId: string): Promise<DerivedRequest[]> {
  const rows = await db
    .selectFrom("requests")
    .selectAll()
    .where("installation_id", "=", installationId)
    .where("program_id", "=", programId)
    .orderBy("opened_at")
    .orderBy("id")
    .execute();
  const response = (at: Date | null, kind: string | null, id: number | null, login: string | null, latency: number | null) =>
    at === null || latency === null
      ? null
      : { at: toInstant(at), kind: kind as ResponseKind, responderId: Number(id), responderLogin: login ?? "", latencySeconds: latency };
  return rows.map((r) => ({
    programId: r.program_id,
    projectId: r.project_id,
    menteeId: Number(r.mentee_id),
    menteeLogin: r.mentee_login,
    repo: r.repo,
    number: r.number,
    threadKind: r.thread_kind as ThreadKind,
    kind: r.kind as RequestKind,
    openedAt: toInstant(r.opened_at),
    openedBy: r.opened_by,
    response: response(r.responded_at, r.response_kind, r.responder_id, r.responder_login, r.latency_seconds),
    firstMentorResponse: response(r.first_mentor_at, null, r.first_mentor_id, r.first_mentor_login, r.first_mentor_latency_seconds),
    ...(r.closed_unanswered_at ? { closedUnansweredAt: toInstant(r.closed_unanswered_at) } : {}),
  }));
}
