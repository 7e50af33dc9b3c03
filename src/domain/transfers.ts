import type { ThreadEvent } from "./types.js";

/**
 * A transferred issue keeps its history: GitHub moves its comments, labels and assignees with it, and
 * the backfill reads them all under the new repository and number. Webhooks stored what happened
 * before the move under the old ones. The thread's whole log is its own events plus those of every
 * thread transferred into it, re-addressed to it; the moves themselves are not events of the new thread.
 */
export function withTransferredHistory(own: ThreadEvent[], before: ThreadEvent[], to: { repo: string; number: number }): ThreadEvent[] {
  const moved = before.filter((e) => e.kind !== "issue_transferred").map((e) => ({ ...e, repo: to.repo, number: to.number }));
  return [...moved, ...own];
}

/** Where this thread went, when it was transferred away: it then has no task and no requests of its own. */
export function transferredTo(events: ThreadEvent[]): { repo: string; number: number } | null {
  return events.find((e) => e.kind === "issue_transferred")?.data.transferredTo ?? null;
}
