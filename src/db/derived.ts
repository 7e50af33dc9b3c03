import { type Kysely, sql } from "kysely";
import type { DerivedTask } from "../domain/tasks.js";
import type { DerivedRequest } from "../domain/types.js";
import type { Database } from "./schema.js";

export interface ThreadState {
  thread: { repo: string; number: number };
  task: DerivedTask | null;
  requests: DerivedRequest[];
}

/** Replaces one thread's derived state (its task row and its requests) in one transaction. */
export async function replaceThreadState(
  db: Kysely<Database>,
  installationId: number,
  thread: { repo: string; number: number },
  task: DerivedTask | null,
  requests: DerivedRequest[],
): Promise<void> {
  await replaceThreadStates(db, installationId, [{ thread, task, requests }]);
}

/**
 * Replaces the derived state of several threads in one transaction, a statement per table: a drain's
 * batch costs four statements, not four per thread. Threads go in key order, so two drains never
 * wait on each other in opposite orders.
 */
export async function replaceThreadStates(db: Kysely<Database>, installationId: number, states: ThreadState[]): Promise<void> {
  if (states.length === 0) return;
  const sorted = [...states].sort((a, b) => (a.thread.repo === b.thread.repo ? a.thread.number - b.thread.number : a.thread.repo < b.thread.repo ? -1 : 1));
  const inThreads = sql<boolean>`(repo, number) in (${sql.join(sorted.map((s) => sql`(${s.thread.repo}::text, ${s.thread.number}::int)`))})`;
  const tasks = sorted.flatMap((s) => (s.task ? [s.task] : []));
  const requests = sorted.flatMap((s) => s.requests);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("tasks").where("installation_id", "=", installationId).where(inThreads).execute();
    if (tasks.length > 0) {
      await trx
        .insertInto("tasks")
        .values(
          tasks.map((task) => ({
            installation_id: installationId,
            repo: task.repo,
            number: task.number,
            program_id: task.programId,
            project_id: task.projectId,
            mentee_id: task.mentee?.id ?? null,
            mentee_login: task.mentee?.login ?? null,
            title: task.title,
            state: task.state,
            milestone_id: task.milestoneId,
            linked_pr_repo: task.linkedPr?.repo ?? null,
            linked_pr_number: task.linkedPr?.number ?? null,
            linked_pr_merged: task.linkedPr?.merged ?? null,
            updated_at: task.updatedAt,
          })),
        )
        .execute();
    }
    await trx.deleteFrom("requests").where("installation_id", "=", installationId).where(inThreads).execute();
    // At 22 columns a row, well under PostgreSQL's 65,535 bind parameters per statement.
    for (let i = 0; i < requests.length; i += REQUEST_ROWS_PER_INSERT) {
      await trx
        .insertInto("requests")
        .values(
          requests.slice(i, i + REQUEST_ROWS_PER_INSERT).map((r) => ({
            installation_id: installationId,
            program_id: r.programId,
            project_id: r.projectId,
            mentee_id: r.menteeId,
            mentee_login: r.menteeLogin,
            repo: r.repo,
            number: r.number,
            thread_kind: r.threadKind,
            kind: r.kind,
            opened_at: r.openedAt,
            opened_by: r.openedBy,
            responded_at: r.response?.at ?? null,
            response_kind: r.response?.kind ?? null,
            responder_id: r.response?.responderId ?? null,
            responder_login: r.response?.responderLogin ?? null,
            latency_seconds: r.response?.latencySeconds ?? null,
            closed_unanswered_at: r.closedUnansweredAt ?? null,
            first_mentor_at: r.firstMentorResponse?.at ?? null,
            first_mentor_id: r.firstMentorResponse?.responderId ?? null,
            first_mentor_login: r.firstMentorResponse?.responderLogin ?? null,
            first_mentor_latency_seconds: r.firstMentorResponse?.latencySeconds ?? null,
          })),
        )
        .execute();
    }
  });
}

const REQUEST_ROWS_PER_INSERT = 2000;

/** Every thread with at least one event, for a full re-derivation after a roster change. */
export async function allThreads(db: Kysely<Database>, installationId: number) {
  return db
    .selectFrom("events")
    .select(["repo", "number"])
    .distinct()
    .where("installation_id", "=", installationId)
    .orderBy("repo")
    .orderBy("number")
    .execute();
}
