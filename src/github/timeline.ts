import type { Actor, EventData, EventKind, Instant, ReviewState, ThreadEvent, ThreadKind } from "../domain/types.js";
import { compact, dedupeKeys, hostOf, isBotActor, normaliseInstant, parseLinkedIssues } from "../webhooks/normalise.js";
import { mentionData } from "../webhooks/mentions.js";
import type { GqlActor, GqlThread, GqlTimelineItem } from "./backfill.js";

/**
 * Pure: one thread as the GraphQL backfill reads it → the events its webhooks would have stored,
 * with the same dedupe keys (table in `webhooks/normalise.ts`) and the same payload-time instants,
 * so either path, or both, leave the same event log.
 *
 * Webhook payloads carry the thread as it was at that moment (labels, draft); GraphQL only shows it
 * as it is now. The labels and draft state at each instant are rebuilt by undoing the label and
 * draft events that came later.
 */

/** GitHub's stand-in for deleted accounts: REST and webhooks name it `ghost`, GraphQL returns null. */
const GHOST: Actor = { id: 10137, login: "ghost", isBot: false };

const REVIEW_STATES: Record<string, ReviewState> = {
  APPROVED: "approved",
  CHANGES_REQUESTED: "changes_requested",
  COMMENTED: "commented",
  DISMISSED: "dismissed",
};

export function timelineEvents(thread: GqlThread, items: ReadonlyArray<GqlTimelineItem | null>): ThreadEvent[] {
  const kind: ThreadKind = thread.__typename === "PullRequest" ? "pr" : "issue";
  const repo = thread.repository.nameWithOwner.toLowerCase();
  const author = actorOf(thread.author);
  const createdAt = normaliseInstant(thread.createdAt);
  if (author === null || createdAt === null) return [];
  const timeline = items.filter((i): i is GqlTimelineItem => i !== null);
  const labelsAt = labelHistory(thread, timeline);
  const draftAt = draftHistory(thread, timeline);
  const linkedIssues = kind === "pr" ? parseLinkedIssues(thread.body, repo, hostOf(thread.url)) : undefined;

  const events = new Map<string, ThreadEvent>();
  const add = (eventKind: EventKind, key: string, at: Instant, by: Actor | null, data: EventData = {}, prLevel = false) => {
    if (by === null || events.has(key)) return;
    const base: EventData = { title: thread.title, labels: labelsAt(at), url: thread.url };
    const pr: EventData = prLevel ? { draft: draftAt(at), linkedIssues } : {};
    events.set(key, {
      kind: eventKind,
      dedupeKey: key,
      occurredAt: at,
      actor: by,
      repo,
      number: thread.number,
      threadKind: kind,
      threadAuthorId: author.id,
      threadNodeId: thread.id,
      data: compact({ ...base, ...pr, ...data }),
    });
  };

  const T = thread.id;
  if (kind === "pr") add("pr_opened", dedupeKeys.pr_opened(T), createdAt, author, {}, true);
  else add("issue_opened", dedupeKeys.issue_opened(T), createdAt, author);

  const mergedAt = new Set(timeline.flatMap((i) => (i.__typename === "MergedEvent" ? [normaliseInstant(i.createdAt)] : [])));
  const dismissedFrom = new Map(
    timeline.flatMap((i) => (i.__typename === "ReviewDismissedEvent" && i.review ? [[i.review.id, i.previousReviewState] as const] : [])),
  );
  const reviewUrls = new Map(timeline.flatMap((i) => (i.__typename === "PullRequestReview" ? [[i.id, i.url] as const] : [])));
  // A force push names its new head and when it happened: better than the same commit's item.
  const forcePushed = new Set(timeline.flatMap((i) => (i.__typename === "HeadRefForcePushedEvent" && i.afterCommit ? [i.afterCommit.oid] : [])));
  let previousAt = createdAt;

  for (const item of timeline) {
    switch (item.__typename) {
      case "IssueComment": {
        const at = normaliseInstant(item.createdAt);
        if (at) {
          add("comment_created", dedupeKeys.comment_created(item.id), at, actorOf(item.author), {
            url: item.url,
            githubId: item.databaseId ?? undefined,
            ...mentionData(item.body),
          });
        }
        break;
      }
      case "ClosedEvent": {
        const at = normaliseInstant(item.createdAt);
        if (!at) break;
        if (kind === "issue") {
          const stateReason = typeof item.stateReason === "string" ? item.stateReason.toLowerCase() : undefined;
          add("issue_closed", dedupeKeys.issue_closed(T, at), at, actorOf(item.actor), { stateReason });
        } else if (!mergedAt.has(at)) {
          // A merge also closes the PR; the webhook reports that once, as merged.
          add("pr_closed", dedupeKeys.pr_closed(T, at), at, actorOf(item.actor), {}, true);
        }
        break;
      }
      case "MergedEvent": {
        const at = normaliseInstant(item.createdAt);
        if (at) add("pr_merged", dedupeKeys.pr_merged(T), at, actorOf(item.actor), {}, true);
        break;
      }
      case "ReopenedEvent": {
        const at = normaliseInstant(item.createdAt);
        if (!at) break;
        if (kind === "issue") add("issue_reopened", dedupeKeys.issue_reopened(T, at), at, actorOf(item.actor));
        else add("pr_reopened", dedupeKeys.pr_reopened(T, at), at, actorOf(item.actor), {}, true);
        break;
      }
      case "LabeledEvent":
      case "UnlabeledEvent": {
        const at = normaliseInstant(item.createdAt);
        const label = item.label.name;
        if (!at) break;
        if (kind === "pr") {
          // Webhooks store PR labelling but not unlabelling (the PR's label list carries it).
          if (item.__typename === "LabeledEvent") add("pr_labeled", dedupeKeys.pr_labeled(T, label, at), at, actorOf(item.actor), { label }, true);
        } else if (item.__typename === "LabeledEvent") {
          add("issue_labeled", dedupeKeys.issue_labeled(T, label, at), at, actorOf(item.actor), { label });
        } else {
          add("issue_unlabeled", dedupeKeys.issue_unlabeled(T, label, at), at, actorOf(item.actor), { label });
        }
        break;
      }
      case "AssignedEvent":
      case "UnassignedEvent": {
        const at = normaliseInstant(item.createdAt);
        const assignee = actorOf(item.assignee);
        if (!at || assignee === null || item.assignee === null) break;
        const data = { assignee: { id: assignee.id, login: assignee.login } };
        if (kind === "pr") {
          if (item.__typename === "AssignedEvent") add("pr_assigned", dedupeKeys.pr_assigned(T, assignee.id, at), at, actorOf(item.actor), data, true);
        } else if (item.__typename === "AssignedEvent") {
          add("issue_assigned", dedupeKeys.issue_assigned(T, assignee.id, at), at, actorOf(item.actor), data);
        } else {
          add("issue_unassigned", dedupeKeys.issue_unassigned(T, assignee.id, at), at, actorOf(item.actor), data);
        }
        break;
      }
      case "MilestonedEvent":
      case "DemilestonedEvent": {
        const at = normaliseInstant(item.createdAt);
        if (!at || kind !== "issue") break;
        const milestoneTitle = item.milestoneTitle;
        if (item.__typename === "MilestonedEvent") {
          add("issue_milestoned", dedupeKeys.issue_milestoned(T, milestoneTitle, at), at, actorOf(item.actor), { milestoneTitle });
        } else {
          add("issue_demilestoned", dedupeKeys.issue_demilestoned(T, milestoneTitle, at), at, actorOf(item.actor), { milestoneTitle });
        }
        break;
      }
      case "ReadyForReviewEvent": {
        const at = normaliseInstant(item.createdAt);
        if (at) add("pr_ready_for_review", dedupeKeys.pr_ready_for_review(T, at), at, actorOf(item.actor), {}, true);
        break;
      }
      case "ConvertToDraftEvent": {
        const at = normaliseInstant(item.createdAt);
        if (at) add("pr_converted_to_draft", dedupeKeys.pr_converted_to_draft(T, at), at, actorOf(item.actor), {}, true);
        break;
      }
      case "ReviewRequestedEvent": {
        const at = normaliseInstant(item.createdAt);
        const reviewer = item.requestedReviewer;
        if (!at || !reviewer?.databaseId) break;
        if (reviewer.__typename === "Team") {
          add("pr_review_requested", dedupeKeys.pr_review_requested(T, { team: reviewer.databaseId }, at), at, actorOf(item.actor), {}, true);
        } else {
          const person = actorOf({ __typename: reviewer.__typename, login: reviewer.login ?? "", databaseId: reviewer.databaseId });
          if (!person) break;
          const requestedReviewer = { id: person.id, login: person.login };
          add("pr_review_requested", dedupeKeys.pr_review_requested(T, { user: person.id }, at), at, actorOf(item.actor), { requestedReviewer }, true);
        }
        break;
      }
      case "PullRequestReview": {
        const at = normaliseInstant(item.submittedAt);
        if (!at || item.state === "PENDING") break; // a pending review is visible to its author only
        // A dismissed review was submitted as something else, which is what its webhook said.
        const state = item.state === "DISMISSED" ? (dismissedFrom.get(item.id) ?? "DISMISSED") : item.state;
        add("review_submitted", dedupeKeys.review_submitted(item.id), at, actorOf(item.author), {
          reviewState: REVIEW_STATES[state],
          url: item.url,
          githubId: item.databaseId ?? undefined,
        });
        break;
      }
      case "ReviewDismissedEvent": {
        const at = normaliseInstant(item.createdAt);
        if (!at || !item.review) break;
        add("review_dismissed", dedupeKeys.review_dismissed(item.review.id), at, actorOf(item.actor), {
          reviewState: "dismissed",
          url: reviewUrls.get(item.review.id),
        });
        break;
      }
      case "HeadRefForcePushedEvent": {
        const at = normaliseInstant(item.createdAt);
        if (at && item.afterCommit) add("pr_synchronize", dedupeKeys.pr_synchronize(T, item.afterCommit.oid), at, actorOf(item.actor), {}, true);
        break;
      }
      case "PullRequestCommit": {
        const committed = normaliseInstant(item.commit.committedDate);
        // Commits that came with the PR opened it; they were never a `synchronize`.
        if (!committed || Date.parse(committed) <= Date.parse(createdAt) || forcePushed.has(item.commit.oid)) break;
        // GraphQL has no push time; the timeline lists a commit where it was pushed, so it was pushed
        // no earlier than the item before it.
        const at = Date.parse(committed) >= Date.parse(previousAt) ? committed : previousAt;
        const pusher = item.commit.author?.user ? actorOf(item.commit.author.user) : null;
        add("pr_synchronize", dedupeKeys.pr_synchronize(T, item.commit.oid), at, pusher, {}, true);
        break;
      }
    }
    previousAt = latest(previousAt, itemInstant(item));
  }
  return [...events.values()].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.dedupeKey.localeCompare(b.dedupeKey));
}

function itemInstant(item: GqlTimelineItem): Instant | null {
  if (item.__typename === "PullRequestCommit") return normaliseInstant(item.commit.committedDate);
  if (item.__typename === "PullRequestReview") return normaliseInstant(item.submittedAt);
  return normaliseInstant(item.createdAt);
}

function latest(a: Instant, b: Instant | null): Instant {
  return b !== null && Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * GraphQL names a GitHub App's bot `dependabot`, REST `dependabot[bot]`: store the REST form so
 * both paths agree. `null` (deleted account) is the ghost; an actor without a numeric id
 * (an organisation, an enterprise account) cannot be a mentee or a mentor and is dropped.
 */
export function actorOf(actor: GqlActor): Actor | null {
  if (actor === null) return GHOST;
  if (typeof actor.databaseId !== "number" || actor.databaseId <= 0) return null;
  const login = actor.__typename === "Bot" && !actor.login.endsWith("[bot]") ? `${actor.login}[bot]` : actor.login;
  return { id: actor.databaseId, login, isBot: isBotActor({ type: actor.__typename, login }) };
}

/** Labels on the thread at an instant: today's labels with every later (un)labelling undone. */
function labelHistory(thread: GqlThread, timeline: GqlTimelineItem[]): (at: Instant) => string[] {
  const changes = timeline
    .flatMap((i) => (i.__typename === "LabeledEvent" || i.__typename === "UnlabeledEvent" ? [{ at: Date.parse(i.createdAt), added: i.__typename === "LabeledEvent", name: i.label.name }] : []))
    .sort((a, b) => b.at - a.at);
  const now = (thread.labels?.nodes ?? []).map((l) => l.name);
  return (at) => {
    const t = Date.parse(at);
    const labels = new Set(now);
    for (const change of changes) {
      if (change.at <= t) break;
      if (change.added) labels.delete(change.name);
      else labels.add(change.name);
    }
    // Keep today's order for labels still present, so identical sets compare equal.
    return [...now.filter((l) => labels.has(l)), ...[...labels].filter((l) => !now.includes(l)).sort()];
  };
}

/** Whether the PR was a draft at an instant: today's state with later draft toggles undone. */
function draftHistory(thread: GqlThread, timeline: GqlTimelineItem[]): (at: Instant) => boolean | undefined {
  if (thread.__typename !== "PullRequest") return () => undefined;
  const toggles = timeline
    .flatMap((i) => (i.__typename === "ReadyForReviewEvent" || i.__typename === "ConvertToDraftEvent" ? [{ at: Date.parse(i.createdAt), toDraft: i.__typename === "ConvertToDraftEvent" }] : []))
    .sort((a, b) => b.at - a.at);
  return (at) => {
    const t = Date.parse(at);
    let draft = thread.isDraft === true;
    for (const toggle of toggles) {
      if (toggle.at <= t) break;
      draft = !toggle.toDraft;
    }
    return draft;
  };
}
