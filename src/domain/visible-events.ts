import type { ThreadEvent } from "./types.js";

/**
 * A thread's events as the people on it saw them, which is what requests and responses are made of:
 * - A deleted comment never happened: its creation and edits are dropped, wherever the deletion came
 *   from (a webhook, or reconciliation finding the comment gone) and whichever of the two was stored first.
 * - An inline review comment is dated at its review's submission: until then it was a draft only its
 *   author could see. The backfill reads reviews, not their comments, so this is also what makes both
 *   paths date an answer alike. A comment whose review is not in the log keeps its own time.
 */
export function visibleEvents(events: readonly ThreadEvent[]): ThreadEvent[] {
  const deleted = new Set(events.flatMap((e) => (e.kind === "comment_deleted" ? [objectId(e.dedupeKey)] : [])));
  const submittedAt = new Map(
    events.flatMap((e) => (e.kind === "review_submitted" && e.data.githubId !== undefined ? [[e.data.githubId, e.occurredAt] as const] : [])),
  );
  const out: ThreadEvent[] = [];
  for (const e of events) {
    if (isAboutComment(e) && deleted.has(objectId(e.dedupeKey))) continue;
    const reviewAt = e.kind === "review_comment_created" && e.data.reviewId !== undefined ? submittedAt.get(e.data.reviewId) : undefined;
    out.push(reviewAt === undefined ? e : { ...e, occurredAt: reviewAt });
  }
  return out;
}

function isAboutComment(e: ThreadEvent): boolean {
  return e.kind === "comment_created" || e.kind === "comment_edited" || e.kind === "review_comment_created" || e.kind === "comment_deleted";
}

/** The comment's node id: the second segment of `comment_created:C`, `comment_edited:C:@t`, `comment_deleted:C`. */
function objectId(dedupeKey: string): string {
  return dedupeKey.split(":")[1] ?? "";
}
