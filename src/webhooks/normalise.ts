/**
 * Pure normalisers: GitHub webhook payload → ThreadEvent rows. No I/O, never throws.
 *
 * ## Dedupe keys
 * A key names (GitHub object, action[, what makes a repeatable action unique]) so that the same activity
 * yields the same key whether it arrives as a webhook (any number of deliveries, any GUIDs) or is
 * rebuilt by the GraphQL backfill. Build them with `dedupeKeys` below, never by hand.
 *
 * Notation: `T` thread node id (`issue.node_id` / `pull_request.node_id`; for a PR both are the PR's
 * id), `C` comment node id, `R` review node id, `@t` an instant normalised by `normaliseInstant`
 * (`YYYY-MM-DDTHH:MM:SSZ`, always the last segment, fixed width, so a `:` inside a label or
 * milestone title cannot make two keys collide). User and team ids are REST numeric ids (GraphQL
 * `databaseId`). GraphQL counterparts in brackets.
 *
 *   issue_opened             issue_opened:T                                    [Issue.id]
 *   issue_edited             issue_edited:T:@updated_at                        [Issue.lastEditedAt, best effort]
 *   issue_closed             issue_closed:T:@closed_at                         [ClosedEvent.createdAt]
 *   issue_reopened           issue_reopened:T:@updated_at                      [ReopenedEvent.createdAt]
 *   issue_labeled            issue_labeled:T:<label name>:@updated_at          [LabeledEvent.label.name, createdAt]
 *   issue_unlabeled          issue_unlabeled:T:<label name>:@updated_at        [UnlabeledEvent]
 *   issue_assigned           issue_assigned:T:<assignee id>:@updated_at        [AssignedEvent.assignee.databaseId]
 *   issue_unassigned         issue_unassigned:T:<assignee id>:@updated_at      [UnassignedEvent]
 *   issue_milestoned         issue_milestoned:T:<milestone title>:@updated_at  [MilestonedEvent.milestoneTitle]
 *   issue_demilestoned       issue_demilestoned:T:<milestone title>:@updated_at [DemilestonedEvent.milestoneTitle]
 *   issue_transferred        issue_transferred:T   (T = the old issue)         [not reproducible: old id is gone]
 *   issue_deleted            issue_deleted:T                                   [not visible to GraphQL]
 *   comment_created          comment_created:C                                 [IssueComment.id]
 *   comment_edited           comment_edited:C:@comment.updated_at              [IssueComment.lastEditedAt, best effort]
 *   comment_deleted          comment_deleted:C   (issue or review comment)     [reconciliation: a stored comment GitHub no longer shows]
 *   pr_opened                pr_opened:T                                       [PullRequest.id]
 *   pr_reopened              pr_reopened:T:@updated_at                         [ReopenedEvent.createdAt]
 *   pr_edited                pr_edited:T:@updated_at                           [not read: every backfilled PR event
 *                                                                               carries today's body]
 *   pr_ready_for_review      pr_ready_for_review:T:@updated_at                 [ReadyForReviewEvent.createdAt]
 *   pr_converted_to_draft    pr_converted_to_draft:T:@updated_at               [ConvertToDraftEvent.createdAt]
 *   pr_review_requested      pr_review_requested:T:<user id>:@updated_at       [ReviewRequestedEvent, User/Bot databaseId]
 *                            pr_review_requested:T:team-<team id>:@updated_at  [… on Team databaseId]
 *   pr_synchronize           pr_synchronize:T:<payload.after head sha>         [PullRequestCommit.commit.oid /
 *                                                                               HeadRefForcePushedEvent.afterCommit.oid]
 *   pr_closed                pr_closed:T:@closed_at                            [ClosedEvent.createdAt, PR not merged]
 *   pr_merged                pr_merged:T                                       [MergedEvent]
 *   pr_assigned              pr_assigned:T:<assignee id>:@updated_at           [AssignedEvent]
 *   pr_labeled               pr_labeled:T:<label name>:@updated_at             [LabeledEvent]
 *   review_submitted         review_submitted:R                                [PullRequestReview.id]
 *   review_dismissed         review_dismissed:R                                [ReviewDismissedEvent.review.id]
 *   review_comment_created   review_comment_created:C                          [PullRequestReviewComment.id]
 *
 * Caveats for the backfill:
 * - Node ids: REST/webhooks and GraphQL both hand out the legacy or the next-format id depending on the
 *   object's age. Do not send `X-Github-Next-Global-ID: 1`, or old objects get different ids here and there.
 * - Timestamped keys assume the payload's `updated_at`/`closed_at` equals the timeline item's `createdAt`
 *   to the second. That is GitHub's normal behaviour, but nothing guarantees it; a miss means one duplicate
 *   event in the log, which derivation tolerates (state-like events are idempotent, and a request that is
 *   already open absorbs further activity).
 * - One push of several commits is one webhook keyed by its head sha; the backfill sees every commit, so
 *   only the head commit's key matches and the others add harmless extra `pr_synchronize` rows.
 */
import { mentionData } from "./mentions.js";
import type { Actor, EventData, EventKind, Instant, ReviewState, ThreadEvent, ThreadKind } from "../domain/types.js";

export type NormaliseResult =
  | { ok: true; events: ThreadEvent[] } // possibly empty: nothing we track
  | { ok: false; reason: string }; // payload lacks a field we need (caller logs with delivery id and acknowledges)

/** GitHub Apps act as `type: "Bot"`; some integrations only show up by their `[bot]` login suffix. */
export function isBotActor(user: { type?: string; login?: string } | null | undefined): boolean {
  if (typeof user !== "object" || user === null) return false;
  const { type, login } = user as { type?: unknown; login?: unknown };
  return type === "Bot" || (typeof login === "string" && login.toLowerCase().endsWith("[bot]"));
}

/** ISO instant, UTC, `Z`, whole seconds: the form used in `occurredAt` and in every timestamped dedupe key. */
export function normaliseInstant(value: unknown): Instant | null {
  // Only ISO-looking strings: `Date` would otherwise accept "2019" or "May 5" and invent a time.
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

type ReviewerRef = { user: number } | { team: number };

/**
 * The key of every kind, shared with the GraphQL backfill (see the table at the top). Arguments are
 * node ids, numeric ids and instants already normalised by `normaliseInstant`.
 */
export const dedupeKeys = {
  issue_opened: (thread: string) => `issue_opened:${thread}`,
  issue_edited: (thread: string, at: Instant) => `issue_edited:${thread}:${at}`,
  issue_closed: (thread: string, at: Instant) => `issue_closed:${thread}:${at}`,
  issue_reopened: (thread: string, at: Instant) => `issue_reopened:${thread}:${at}`,
  issue_labeled: (thread: string, label: string, at: Instant) => `issue_labeled:${thread}:${label}:${at}`,
  issue_unlabeled: (thread: string, label: string, at: Instant) => `issue_unlabeled:${thread}:${label}:${at}`,
  issue_assigned: (thread: string, assigneeId: number, at: Instant) => `issue_assigned:${thread}:${assigneeId}:${at}`,
  issue_unassigned: (thread: string, assigneeId: number, at: Instant) => `issue_unassigned:${thread}:${assigneeId}:${at}`,
  issue_milestoned: (thread: string, milestone: string, at: Instant) => `issue_milestoned:${thread}:${milestone}:${at}`,
  issue_demilestoned: (thread: string, milestone: string, at: Instant) => `issue_demilestoned:${thread}:${milestone}:${at}`,
  issue_transferred: (thread: string) => `issue_transferred:${thread}`,
  issue_deleted: (thread: string) => `issue_deleted:${thread}`,
  comment_created: (comment: string) => `comment_created:${comment}`,
  comment_edited: (comment: string, at: Instant) => `comment_edited:${comment}:${at}`,
  comment_deleted: (comment: string) => `comment_deleted:${comment}`,
  pr_opened: (thread: string) => `pr_opened:${thread}`,
  pr_reopened: (thread: string, at: Instant) => `pr_reopened:${thread}:${at}`,
  pr_edited: (thread: string, at: Instant) => `pr_edited:${thread}:${at}`,
  pr_ready_for_review: (thread: string, at: Instant) => `pr_ready_for_review:${thread}:${at}`,
  pr_converted_to_draft: (thread: string, at: Instant) => `pr_converted_to_draft:${thread}:${at}`,
  pr_review_requested: (thread: string, reviewer: ReviewerRef, at: Instant) =>
    `pr_review_requested:${thread}:${"user" in reviewer ? reviewer.user : `team-${reviewer.team}`}:${at}`,
  pr_synchronize: (thread: string, headSha: string) => `pr_synchronize:${thread}:${headSha}`,
  pr_closed: (thread: string, at: Instant) => `pr_closed:${thread}:${at}`,
  pr_merged: (thread: string) => `pr_merged:${thread}`,
  pr_assigned: (thread: string, assigneeId: number, at: Instant) => `pr_assigned:${thread}:${assigneeId}:${at}`,
  pr_labeled: (thread: string, label: string, at: Instant) => `pr_labeled:${thread}:${label}:${at}`,
  review_submitted: (review: string) => `review_submitted:${review}`,
  review_dismissed: (review: string) => `review_dismissed:${review}`,
  review_comment_created: (comment: string) => `review_comment_created:${comment}`,
} satisfies { [K in EventKind]: (...args: never[]) => string };

const CLOSING_REFERENCE =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?:\s*:\s*|\s+)(?:#(\d+)|([\w.-]+)\/([\w.-]+)#(\d+)|https?:\/\/([^\s/]+)\/([\w.-]+)\/([\w.-]+)\/issues\/(\d+))(?![\w-])/gi;

/**
 * Issue numbers of `repo` that a PR body closes with GitHub's keywords: `#N`, `owner/repo#N` or an issue
 * URL on `host`, each after its own keyword (like GitHub: "Fixes #1, #2" closes only #1). Other repos'
 * issues are dropped: tasks are matched within the PR's repo.
 */
export function parseLinkedIssues(body: unknown, repo: string, host = "github.com"): number[] {
  if (typeof body !== "string" || body === "") return [];
  const self = repo.toLowerCase();
  const found = new Set<number>();
  for (const m of body.matchAll(CLOSING_REFERENCE)) {
    let digits: string | undefined;
    if (m[1] !== undefined) digits = m[1];
    else if (m[4] !== undefined && `${m[2]}/${m[3]}`.toLowerCase() === self) digits = m[4];
    else if (m[8] !== undefined && m[5]?.toLowerCase() === host.toLowerCase() && `${m[6]}/${m[7]}`.toLowerCase() === self) digits = m[8];
    const n = digits === undefined ? NaN : Number(digits);
    if (Number.isSafeInteger(n) && n > 0) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

export function normaliseWebhook(eventName: string, payload: unknown): NormaliseResult {
  try {
    const actions = typeof eventName === "string" ? HANDLERS.get(eventName) : undefined;
    if (actions === undefined) return { ok: true, events: [] };
    if (!isRecord(payload)) return { ok: false, reason: `${eventName}: payload is not an object` };
    const action = payload.action;
    if (typeof action !== "string") return { ok: false, reason: `${eventName}: payload has no action` };
    const handler = actions.get(action);
    if (handler === undefined) return { ok: true, events: [] };
    return { ok: true, events: handler({ rec: payload, path: "", where: `${eventName}.${action}` }) };
  } catch (error) {
    if (error instanceof PayloadError) return { ok: false, reason: error.message };
    // A bug here must not fail the delivery: the caller acknowledges and logs the reason.
    return { ok: false, reason: `${String(eventName)}: could not normalise payload (${error instanceof Error ? error.message : String(error)})` };
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading untrusted JSON. A missing field throws PayloadError, which normaliseWebhook turns into
// `{ ok: false }`: handlers read like the happy path and still never let an exception escape.

type Rec = Readonly<Record<string, unknown>>;

/** A JSON object plus where it sits in the payload, for reasons like "issues.opened: payload has no issue.number". */
interface Node {
  rec: Rec;
  path: string;
  where: string;
}

class PayloadError extends Error {}

function isRecord(value: unknown): value is Rec {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pathOf(node: Node, key: string): string {
  return node.path === "" ? key : `${node.path}.${key}`;
}

function fieldOf(node: Node, key: string): unknown {
  return Object.hasOwn(node.rec, key) ? node.rec[key] : undefined;
}

function missing(node: Node, key: string): never {
  const value = fieldOf(node, key);
  const problem = value === undefined || value === null ? "has no" : "has an invalid";
  throw new PayloadError(`${node.where}: payload ${problem} ${pathOf(node, key)}`);
}

function child(node: Node, key: string): Node {
  return optChild(node, key) ?? missing(node, key);
}

function optChild(node: Node, key: string): Node | undefined {
  const value = fieldOf(node, key);
  return isRecord(value) ? { rec: value, path: pathOf(node, key), where: node.where } : undefined;
}

function str(node: Node, key: string): string {
  const value = fieldOf(node, key);
  return typeof value === "string" && value !== "" ? value : missing(node, key);
}

function optStr(node: Node, key: string): string | undefined {
  const value = fieldOf(node, key);
  return typeof value === "string" ? value : undefined;
}

function id(node: Node, key: string): number {
  const value = fieldOf(node, key);
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : missing(node, key);
}

function optId(node: Node, key: string): number | undefined {
  const value = fieldOf(node, key);
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function instant(node: Node, key: string): Instant {
  return normaliseInstant(fieldOf(node, key)) ?? missing(node, key);
}

// ---------------------------------------------------------------------------------------------------
// Shared pieces of every event.

interface Thread {
  node: Node;
  nodeId: string;
  repo: string;
  number: number;
  kind: ThreadKind;
  authorId: number;
  /** Fields every event of this thread carries (title, labels, url). */
  data: EventData;
}

function actor(node: Node): Actor {
  return { id: id(node, "id"), login: str(node, "login"), isBot: isBotActor(node.rec as { type?: string; login?: string }) };
}

function sender(root: Node): Actor {
  return actor(child(root, "sender"));
}

function repoName(root: Node): string {
  return str(child(root, "repository"), "full_name").toLowerCase();
}

function labelNames(node: Node): string[] | undefined {
  const labels = fieldOf(node, "labels");
  if (!Array.isArray(labels)) return undefined;
  return labels.flatMap((l: unknown) => (isRecord(l) && typeof l.name === "string" ? [l.name] : []));
}

function threadOf(root: Node, key: "issue" | "pull_request"): Thread {
  const node = child(root, key);
  // `issues` and `issue_comment` events fire for PRs too; their issue object then links the PR.
  const kind: ThreadKind = key === "pull_request" || isRecord(fieldOf(node, "pull_request")) ? "pr" : "issue";
  return {
    node,
    nodeId: str(node, "node_id"),
    repo: repoName(root),
    number: id(node, "number"),
    kind,
    authorId: id(child(node, "user"), "id"),
    data: { title: optStr(node, "title"), labels: labelNames(node), url: optStr(node, "html_url") },
  };
}

function event(kind: EventKind, dedupeKey: string, occurredAt: Instant, by: Actor, thread: Thread, data: EventData = {}): ThreadEvent {
  return {
    kind,
    dedupeKey,
    occurredAt,
    actor: by,
    repo: thread.repo,
    number: thread.number,
    threadKind: thread.kind,
    threadAuthorId: thread.authorId,
    threadNodeId: thread.nodeId,
    data: compact({ ...thread.data, ...data }),
  };
}

/** Drops undefined fields so stored rows and test expectations only hold what the payload had. */
export function compact(data: EventData): EventData {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as EventData;
}

function userRef(node: Node): { id: number; login: string } {
  return { id: id(node, "id"), login: str(node, "login") };
}

type Handler = (root: Node) => ThreadEvent[];

// ---------------------------------------------------------------------------------------------------
// issues.* — the sender is the person who acted (opened, closed, labelled, …).

type TimedIssueKind = "issue_edited" | "issue_reopened";

function issueTimed(kind: TimedIssueKind): Handler {
  return (root) => {
    const t = threadOf(root, "issue");
    const at = instant(t.node, "updated_at");
    return [event(kind, dedupeKeys[kind](t.nodeId, at), at, sender(root), t)];
  };
}

function issueLabel(kind: "issue_labeled" | "issue_unlabeled"): Handler {
  return (root) => {
    const t = threadOf(root, "issue");
    const label = str(child(root, "label"), "name");
    const at = instant(t.node, "updated_at");
    return [event(kind, dedupeKeys[kind](t.nodeId, label, at), at, sender(root), t, { label })];
  };
}

function issueAssignee(kind: "issue_assigned" | "issue_unassigned"): Handler {
  return (root) => {
    const t = threadOf(root, "issue");
    const assignee = userRef(child(root, "assignee"));
    const at = instant(t.node, "updated_at");
    return [event(kind, dedupeKeys[kind](t.nodeId, assignee.id, at), at, sender(root), t, { assignee })];
  };
}

function issueMilestone(kind: "issue_milestoned" | "issue_demilestoned"): Handler {
  return (root) => {
    const t = threadOf(root, "issue");
    // Titles, not ids: GraphQL's (De)MilestonedEvent only knows the title, and the roster's milestones are titled.
    const milestoneTitle = str(child(root, "milestone"), "title");
    const at = instant(t.node, "updated_at");
    return [event(kind, dedupeKeys[kind](t.nodeId, milestoneTitle, at), at, sender(root), t, { milestoneTitle })];
  };
}

const issueHandlers = new Map<string, Handler>([
  [
    "opened",
    (root) => {
      const t = threadOf(root, "issue");
      return [event("issue_opened", dedupeKeys.issue_opened(t.nodeId), instant(t.node, "created_at"), sender(root), t)];
    },
  ],
  ["edited", issueTimed("issue_edited")],
  [
    "closed",
    (root) => {
      const t = threadOf(root, "issue");
      const at = instant(t.node, "closed_at");
      const reason = fieldOf(t.node, "state_reason");
      const stateReason = typeof reason === "string" || reason === null ? reason : undefined;
      return [event("issue_closed", dedupeKeys.issue_closed(t.nodeId, at), at, sender(root), t, { stateReason })];
    },
  ],
  ["reopened", issueTimed("issue_reopened")],
  ["labeled", issueLabel("issue_labeled")],
  ["unlabeled", issueLabel("issue_unlabeled")],
  ["assigned", issueAssignee("issue_assigned")],
  ["unassigned", issueAssignee("issue_unassigned")],
  ["milestoned", issueMilestone("issue_milestoned")],
  ["demilestoned", issueMilestone("issue_demilestoned")],
  [
    "transferred",
    (root) => {
      const t = threadOf(root, "issue");
      const changes = child(root, "changes");
      const transferredTo = {
        repo: str(child(changes, "new_repository"), "full_name").toLowerCase(),
        number: id(child(changes, "new_issue"), "number"),
      };
      const at = instant(t.node, "updated_at");
      return [event("issue_transferred", dedupeKeys.issue_transferred(t.nodeId), at, sender(root), t, { transferredTo })];
    },
  ],
  [
    "deleted",
    (root) => {
      const t = threadOf(root, "issue");
      // No deletion time in the payload: the last update is the closest instant GitHub gives us.
      const at = instant(t.node, "updated_at");
      return [event("issue_deleted", dedupeKeys.issue_deleted(t.nodeId), at, sender(root), t)];
    },
  ],
]);

// ---------------------------------------------------------------------------------------------------
// issue_comment.* — on issues and on PRs (conversation tab). The actor is the comment's author:
// the events are about whose words they are. An edit or deletion by a moderator (the sender) is still
// attributed to the author, so derivation can pair it with the author's comment_created.

function commentHandler(kind: "comment_created" | "comment_edited" | "comment_deleted"): Handler {
  return (root) => {
    const t = threadOf(root, "issue");
    const comment = child(root, "comment");
    const commentId = str(comment, "node_id");
    const by = actor(child(comment, "user"));
    const data: EventData = { url: optStr(comment, "html_url"), githubId: optId(comment, "id") };
    switch (kind) {
      case "comment_created": {
        const at = instant(comment, "created_at");
        return [event(kind, dedupeKeys.comment_created(commentId), at, by, t, { ...data, ...mentionData(fieldOf(comment, "body")) })];
      }
      case "comment_edited": {
        const at = instant(comment, "updated_at");
        return [event(kind, dedupeKeys.comment_edited(commentId, at), at, by, t, data)];
      }
      case "comment_deleted": {
        // No deletion time in the payload: the comment's last update is the closest instant we have.
        const at = instant(comment, "updated_at");
        return [event(kind, dedupeKeys.comment_deleted(commentId), at, by, t, data)];
      }
    }
  };
}

const issueCommentHandlers = new Map<string, Handler>([
  ["created", commentHandler("comment_created")],
  ["edited", commentHandler("comment_edited")],
  ["deleted", commentHandler("comment_deleted")],
]);

// ---------------------------------------------------------------------------------------------------
// pull_request.* — the sender acted (for synchronize: the pusher, who may not be the PR author).

function prThread(root: Node): Thread {
  const t = threadOf(root, "pull_request");
  const repositoryUrl = optStr(child(root, "repository"), "html_url");
  const draft = fieldOf(t.node, "draft");
  t.data = {
    ...t.data,
    draft: typeof draft === "boolean" ? draft : undefined,
    linkedIssues: parseLinkedIssues(fieldOf(t.node, "body"), t.repo, hostOf(repositoryUrl)),
  };
  return t;
}

/** The GitHub host an html_url points at (github.com, or an Enterprise Server's), for closing references. */
export function hostOf(url: string | undefined): string {
  if (url === undefined) return "github.com";
  try {
    return new URL(url).host;
  } catch {
    return "github.com";
  }
}

function prTimed(kind: "pr_reopened" | "pr_ready_for_review" | "pr_converted_to_draft" | "pr_edited"): Handler {
  return (root) => {
    const t = prThread(root);
    const at = instant(t.node, "updated_at");
    return [event(kind, dedupeKeys[kind](t.nodeId, at), at, sender(root), t)];
  };
}

const pullRequestHandlers = new Map<string, Handler>([
  [
    "opened",
    (root) => {
      const t = prThread(root);
      return [event("pr_opened", dedupeKeys.pr_opened(t.nodeId), instant(t.node, "created_at"), sender(root), t)];
    },
  ],
  ["reopened", prTimed("pr_reopened")],
  // Kept for the body's closing references: a PR edited to drop "Closes #N" no longer links that task.
  ["edited", prTimed("pr_edited")],
  ["ready_for_review", prTimed("pr_ready_for_review")],
  ["converted_to_draft", prTimed("pr_converted_to_draft")],
  [
    "review_requested",
    (root) => {
      const t = prThread(root);
      const at = instant(t.node, "updated_at");
      const user = optChild(root, "requested_reviewer");
      if (user !== undefined) {
        const requestedReviewer = userRef(user);
        const key = dedupeKeys.pr_review_requested(t.nodeId, { user: requestedReviewer.id }, at);
        return [event("pr_review_requested", key, at, sender(root), t, { requestedReviewer })];
      }
      // Asking a team is still the author asking for review (a request in DESIGN's sense), so it is an event,
      // just without a reviewer: only user reviewers can be matched against the roster.
      const team = optChild(root, "requested_team") ?? missing(root, "requested_reviewer");
      const key = dedupeKeys.pr_review_requested(t.nodeId, { team: id(team, "id") }, at);
      return [event("pr_review_requested", key, at, sender(root), t)];
    },
  ],
  [
    "synchronize",
    (root) => {
      const t = prThread(root);
      const after = str(root, "after");
      return [event("pr_synchronize", dedupeKeys.pr_synchronize(t.nodeId, after), instant(t.node, "updated_at"), sender(root), t)];
    },
  ],
  [
    "closed",
    (root) => {
      const t = prThread(root);
      const merged = fieldOf(t.node, "merged") === true || typeof fieldOf(t.node, "merged_at") === "string";
      if (merged) {
        return [event("pr_merged", dedupeKeys.pr_merged(t.nodeId), instant(t.node, "merged_at"), sender(root), t)];
      }
      const at = instant(t.node, "closed_at");
      return [event("pr_closed", dedupeKeys.pr_closed(t.nodeId, at), at, sender(root), t)];
    },
  ],
  [
    "assigned",
    (root) => {
      const t = prThread(root);
      const assignee = userRef(child(root, "assignee"));
      const at = instant(t.node, "updated_at");
      return [event("pr_assigned", dedupeKeys.pr_assigned(t.nodeId, assignee.id, at), at, sender(root), t, { assignee })];
    },
  ],
  [
    "labeled",
    (root) => {
      const t = prThread(root);
      const label = str(child(root, "label"), "name");
      const at = instant(t.node, "updated_at");
      return [event("pr_labeled", dedupeKeys.pr_labeled(t.nodeId, label, at), at, sender(root), t, { label })];
    },
  ],
]);

// ---------------------------------------------------------------------------------------------------
// pull_request_review.* and pull_request_review_comment.*

const REVIEW_STATES: ReadonlyMap<string, ReviewState> = new Map([
  ["approved", "approved"],
  ["changes_requested", "changes_requested"],
  ["commented", "commented"],
  ["dismissed", "dismissed"],
]);

const reviewHandlers = new Map<string, Handler>([
  [
    "submitted",
    (root) => {
      const t = threadOf(root, "pull_request");
      const review = child(root, "review");
      // The reviewer, not the sender: they are the same today, but the review's author is what counts as a response.
      const by = actor(child(review, "user"));
      // GraphQL spells states in upper case. An unknown state still is a review (a response): keep the event.
      const reviewState = REVIEW_STATES.get((optStr(review, "state") ?? "").toLowerCase());
      const at = instant(review, "submitted_at");
      const data: EventData = { reviewState, url: optStr(review, "html_url"), githubId: optId(review, "id") };
      return [event("review_submitted", dedupeKeys.review_submitted(str(review, "node_id")), at, by, t, data)];
    },
  ],
  [
    "dismissed",
    (root) => {
      const t = threadOf(root, "pull_request");
      const review = child(root, "review");
      // The sender dismissed it. The payload has no dismissal time (review.submitted_at is the original
      // submission); dismissing touches the PR, so its updated_at is the closest instant we have.
      const at = instant(t.node, "updated_at");
      const data: EventData = { reviewState: "dismissed", url: optStr(review, "html_url") };
      return [event("review_dismissed", dedupeKeys.review_dismissed(str(review, "node_id")), at, sender(root), t, data)];
    },
  ],
]);

const reviewCommentHandlers = new Map<string, Handler>([
  [
    "created",
    (root) => {
      const t = threadOf(root, "pull_request");
      const comment = child(root, "comment");
      const by = actor(child(comment, "user"));
      const at = instant(comment, "created_at");
      const key = dedupeKeys.review_comment_created(str(comment, "node_id"));
      const data: EventData = {
        url: optStr(comment, "html_url"),
        githubId: optId(comment, "id"),
        reviewId: optId(comment, "pull_request_review_id"),
        ...mentionData(fieldOf(comment, "body")),
      };
      return [event("review_comment_created", key, at, by, t, data)];
    },
  ],
  [
    "deleted",
    (root) => {
      const t = threadOf(root, "pull_request");
      const comment = child(root, "comment");
      // Same kind and key as an issue comment's deletion: node ids are unique across both kinds of comment.
      const at = instant(comment, "updated_at");
      const key = dedupeKeys.comment_deleted(str(comment, "node_id"));
      return [event("comment_deleted", key, at, actor(child(comment, "user")), t, { url: optStr(comment, "html_url") })];
    },
  ],
]);

const HANDLERS: ReadonlyMap<string, ReadonlyMap<string, Handler>> = new Map([
  ["issues", issueHandlers],
  ["issue_comment", issueCommentHandlers],
  ["pull_request", pullRequestHandlers],
  ["pull_request_review", reviewHandlers],
  ["pull_request_review_comment", reviewCommentHandlers],
]);
