import { describe, expect, it } from "@jest/globals";
import type { EventKind, ThreadEvent } from "../../src/domain/types.js";
import {
  dedupeKeys,
  isBotActor,
  normaliseInstant,
  normaliseWebhook,
  parseLinkedIssues,
} from "../../src/webhooks/normalise.js";
import {
  examplePayload,
  examplePayloads,
  ghBot,
  ghUser,
  onPullRequest,
  setActor,
  setBody,
  setCommentId,
  setDraft,
  setEventLabel,
  setMerged,
  setOccurredAt,
  setRepo,
  setRequestedTeam,
  setReviewId,
  setReviewState,
  setSender,
  setThreadAuthor,
} from "../helpers/payloads.js";

// The examples all happen in Codertocat/Hello-World: issue #1 and PR #2, both by Codertocat.
const CODERTOCAT = { id: 21031067, login: "Codertocat", isBot: false };
const REPO = "codertocat/hello-world";
const ISSUE = "MDU6SXNzdWU0NDQ1MDAwNDE=";
const PR = "MDExOlB1bGxSZXF1ZXN0Mjc5MTQ3NDM3";
const ISSUE_COMMENT = "MDEyOklzc3VlQ29tbWVudDQ5MjcwMDQwMA==";
const REVIEW = "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3MjM3ODk1Njcx";
const REVIEW_COMMENT = "MDI0OlB1bGxSZXF1ZXN0UmV2aWV3Q29tbWVudDI4NDMxMjYzMA==";
const ISSUE_DATA = {
  title: "Spelling error in the README file",
  labels: ["bug"],
  url: "https://github.com/Codertocat/Hello-World/issues/1",
};
const PR_DATA = {
  title: "Update the README with new information.",
  labels: ["bug"],
  url: "https://github.com/Codertocat/Hello-World/pull/2",
  draft: false,
  linkedIssues: [],
};
const ON_ISSUE = { repo: REPO, number: 1, threadKind: "issue", threadAuthorId: CODERTOCAT.id, threadNodeId: ISSUE } as const;
const ON_PR = { repo: REPO, number: 2, threadKind: "pr", threadAuthorId: CODERTOCAT.id, threadNodeId: PR } as const;

const mentee = ghUser("neoandmatrix", { id: 101 });
const mentor = ghUser("AayushSaini101", { id: 201 });
const MENTEE = { id: 101, login: "neoandmatrix", isBot: false };
const MENTOR = { id: 201, login: "AayushSaini101", isBot: false };

function normalised(name: string, payload: unknown): ThreadEvent[] {
  const result = normaliseWebhook(name, payload);
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.events;
}

function only(name: string, payload: unknown): ThreadEvent {
  const events = normalised(name, payload);
  expect(events).toHaveLength(1);
  return events[0]!;
}

function reasonOf(name: string, payload: unknown): string {
  const result = normaliseWebhook(name, payload);
  if (result.ok) throw new Error(`expected a failure, got ${result.events.length} event(s)`);
  return result.reason;
}

describe("issues", () => {
  it("opened: when the issue was created, by the sender", () => {
    expect(only("issues", examplePayload("issues", "opened"))).toEqual({
      kind: "issue_opened",
      dedupeKey: `issue_opened:${ISSUE}`,
      occurredAt: "2019-05-15T15:20:18Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
      data: ISSUE_DATA,
    });
  });

  it("edited: at the issue's updated_at, keyed by it (an issue is edited many times)", () => {
    expect(only("issues", examplePayload("issues", "edited"))).toEqual({
      kind: "issue_edited",
      dedupeKey: `issue_edited:${ISSUE}:2019-05-15T15:20:18Z`,
      occurredAt: "2019-05-15T15:20:18Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
      data: ISSUE_DATA,
    });
  });

  it("closed: at closed_at, with GitHub's state_reason", () => {
    const p = setOccurredAt(examplePayload("issues", "closed"), "2026-06-20T10:00:00Z");
    expect(only("issues", setSender(p, mentor))).toEqual({
      kind: "issue_closed",
      dedupeKey: `issue_closed:${ISSUE}:2026-06-20T10:00:00Z`,
      occurredAt: "2026-06-20T10:00:00Z",
      actor: MENTOR,
      ...ON_ISSUE,
      data: { ...ISSUE_DATA, stateReason: "completed" },
    });
    p.issue.state_reason = null;
    expect(only("issues", p).data.stateReason).toBeNull();
  });

  it("reopened: at updated_at, keyed by it (close/reopen can repeat)", () => {
    expect(only("issues", examplePayload("issues", "reopened"))).toEqual({
      kind: "issue_reopened",
      dedupeKey: `issue_reopened:${ISSUE}:2021-10-11T16:40:56Z`,
      occurredAt: "2021-10-11T16:40:56Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
      data: ISSUE_DATA,
    });
  });

  it("labeled / unlabeled: the label, and the labels the issue has now", () => {
    expect(only("issues", examplePayload("issues", "labeled"))).toEqual({
      kind: "issue_labeled",
      dedupeKey: `issue_labeled:${ISSUE}:bug:2019-05-15T15:20:18Z`,
      occurredAt: "2019-05-15T15:20:18Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
      data: { ...ISSUE_DATA, label: "bug" },
    });
    expect(only("issues", examplePayload("issues", "unlabeled"))).toEqual({
      kind: "issue_unlabeled",
      dedupeKey: `issue_unlabeled:${ISSUE}:bug:2019-05-15T15:20:26Z`,
      occurredAt: "2019-05-15T15:20:26Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
      data: { ...ISSUE_DATA, label: "bug" },
    });
  });

  it("assigned / unassigned: the assignee", () => {
    const assigned = only("issues", examplePayload("issues", "assigned"));
    expect(assigned).toMatchObject({
      kind: "issue_assigned",
      dedupeKey: `issue_assigned:${ISSUE}:${CODERTOCAT.id}:2019-05-15T15:20:18Z`,
      occurredAt: "2019-05-15T15:20:18Z",
      ...ON_ISSUE,
    });
    expect(assigned.data).toEqual({ ...ISSUE_DATA, assignee: { id: CODERTOCAT.id, login: "Codertocat" } });
    expect(only("issues", examplePayload("issues", "unassigned"))).toMatchObject({
      kind: "issue_unassigned",
      dedupeKey: `issue_unassigned:${ISSUE}:${CODERTOCAT.id}:2019-05-15T15:20:25Z`,
      occurredAt: "2019-05-15T15:20:25Z",
      data: { assignee: { id: CODERTOCAT.id, login: "Codertocat" } },
    });
  });

  it("milestoned / demilestoned: the milestone title; on a PR the thread is the PR", () => {
    // GitHub sends issues.milestoned for PRs too (pull_request has no such action).
    expect(only("issues", examplePayload("issues", "milestoned"))).toEqual({
      kind: "issue_milestoned",
      dedupeKey: `issue_milestoned:${PR}:v1.0:2019-05-15T15:20:35Z`,
      occurredAt: "2019-05-15T15:20:35Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: { title: PR_DATA.title, labels: ["bug"], url: PR_DATA.url, milestoneTitle: "v1.0" },
    });
    expect(only("issues", examplePayload("issues", "demilestoned"))).toMatchObject({
      kind: "issue_demilestoned",
      dedupeKey: `issue_demilestoned:${PR}:v1.0:2019-05-15T15:20:35Z`,
      threadKind: "pr",
      data: { milestoneTitle: "v1.0" },
    });
  });

  it("transferred: where the issue went, lower-cased", () => {
    expect(only("issues", examplePayload("issues", "transferred"))).toEqual({
      kind: "issue_transferred",
      dedupeKey: "issue_transferred:MDExOlB1bGxSZXF1ZXN0MzMyNzAzOTcz",
      occurredAt: "2019-10-25T22:46:30Z",
      actor: CODERTOCAT,
      repo: "octo-org/octo-repo",
      number: 1,
      threadKind: "issue",
      threadAuthorId: 6811672,
      threadNodeId: "MDExOlB1bGxSZXF1ZXN0MzMyNzAzOTcz",
      data: {
        title: "Update package.json",
        labels: [],
        url: "https://github.com/octo-org/hello-world-npm/pull/1",
        transferredTo: { repo: "codertocat/hello-world", number: 1 },
      },
    });
  });

  it("deleted: no deletion time in the payload, so the last update", () => {
    expect(only("issues", examplePayload("issues", "deleted"))).toEqual({
      kind: "issue_deleted",
      dedupeKey: `issue_deleted:${ISSUE}`,
      occurredAt: "2021-10-11T16:40:56Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
      data: ISSUE_DATA,
    });
  });

  it("the sender is the actor, the issue's user the thread author", () => {
    const p = setSender(setThreadAuthor(examplePayload("issues", "labeled"), mentee), mentor);
    expect(only("issues", p)).toMatchObject({ actor: MENTOR, threadAuthorId: 101 });
  });

  it("repo is lower-cased", () => {
    const p = setRepo(examplePayload("issues", "opened"), "AsyncAPI/CLI");
    expect(only("issues", p)).toMatchObject({ repo: "asyncapi/cli", data: { url: "https://github.com/AsyncAPI/CLI/issues/1" } });
  });
});

describe("issue_comment", () => {
  it("created on an issue: the comment's author and time, keyed by the comment", () => {
    expect(only("issue_comment", examplePayload("issue_comment", "created"))).toEqual({
      kind: "comment_created",
      dedupeKey: `comment_created:${ISSUE_COMMENT}`,
      occurredAt: "2019-05-15T15:20:21Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
      data: { ...ISSUE_DATA, url: "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400", githubId: 492700400 },
    });
  });

  it("created on a PR's conversation: the thread is a PR", () => {
    const event = only("issue_comment", onPullRequest(examplePayload("issue_comment", "created")));
    expect(event).toMatchObject({ kind: "comment_created", threadKind: "pr", number: 1 });
    expect(event.data.url).toBe("https://github.com/Codertocat/Hello-World/pull/1#issuecomment-492700400");
  });

  it("edited: at the comment's updated_at, keyed by it", () => {
    expect(only("issue_comment", examplePayload("issue_comment", "edited"))).toMatchObject({
      kind: "comment_edited",
      dedupeKey: `comment_edited:${ISSUE_COMMENT}:2019-05-15T15:20:22Z`,
      occurredAt: "2019-05-15T15:20:22Z",
      actor: CODERTOCAT,
      ...ON_ISSUE,
    });
  });

  it("deleted: no deletion time in the payload, so the comment's last update", () => {
    expect(only("issue_comment", examplePayload("issue_comment", "deleted"))).toMatchObject({
      kind: "comment_deleted",
      dedupeKey: `comment_deleted:${ISSUE_COMMENT}`,
      occurredAt: "2019-05-15T15:20:22Z",
      ...ON_ISSUE,
    });
  });

  it("the actor is the comment's author, whoever the sender is", () => {
    const p = setSender(examplePayload("issue_comment", "created"), mentor);
    p.comment.user = structuredClone(mentee);
    expect(only("issue_comment", p).actor).toEqual(MENTEE);
    const edited = setSender(examplePayload("issue_comment", "edited"), mentor);
    edited.comment.user = structuredClone(mentee);
    expect(only("issue_comment", edited).actor).toEqual(MENTEE);
  });
});

describe("pull_request", () => {
  it("opened: when the PR was created, whether it is a draft, linked issues", () => {
    const p = setBody(examplePayload("pull_request", "opened"), "Fixes #12\n\nAlso closes #4.");
    expect(only("pull_request", p)).toEqual({
      kind: "pr_opened",
      dedupeKey: `pr_opened:${PR}`,
      occurredAt: "2019-05-15T15:20:33Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: { ...PR_DATA, labels: [], linkedIssues: [4, 12] },
    });
    expect(only("pull_request", setDraft(p, true)).data.draft).toBe(true);
  });

  it("reopened / ready_for_review / converted_to_draft: at updated_at, keyed by it", () => {
    expect(only("pull_request", examplePayload("pull_request", "reopened"))).toEqual({
      kind: "pr_reopened",
      dedupeKey: `pr_reopened:${PR}:2019-05-15T15:20:33Z`,
      occurredAt: "2019-05-15T15:20:33Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: PR_DATA,
    });
    expect(only("pull_request", examplePayload("pull_request", "ready_for_review"))).toEqual({
      kind: "pr_ready_for_review",
      dedupeKey: `pr_ready_for_review:${PR}:2019-05-15T15:21:18Z`,
      occurredAt: "2019-05-15T15:21:18Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: PR_DATA,
    });
    expect(only("pull_request", examplePayload("pull_request", "converted_to_draft"))).toEqual({
      kind: "pr_converted_to_draft",
      dedupeKey: `pr_converted_to_draft:${PR}:2019-05-15T15:21:18Z`,
      occurredAt: "2019-05-15T15:21:18Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: { ...PR_DATA, draft: true },
    });
  });

  it("review_requested: the requested user, keyed by reviewer and time", () => {
    expect(only("pull_request", examplePayload("pull_request", "review_requested"))).toEqual({
      kind: "pr_review_requested",
      dedupeKey: `pr_review_requested:${PR}:5346:2019-05-15T15:20:33Z`,
      occurredAt: "2019-05-15T15:20:33Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: { ...PR_DATA, requestedReviewer: { id: 5346, login: "octocat" } },
    });
  });

  it("review_requested of a team: still an event (the author asked for review), without a reviewer", () => {
    const p = setRequestedTeam(examplePayload("pull_request", "review_requested"), "maintainers", 77);
    const event = only("pull_request", p);
    expect(event).toMatchObject({ kind: "pr_review_requested", dedupeKey: `pr_review_requested:${PR}:team-77:2019-05-15T15:20:33Z` });
    expect(event.data.requestedReviewer).toBeUndefined();
    delete (p as Record<string, unknown>).requested_team;
    expect(reasonOf("pull_request", p)).toBe("pull_request.review_requested: payload has no requested_reviewer");
  });

  it("synchronize: the pusher acts; keyed by the pushed head sha", () => {
    const p = setSender(setThreadAuthor(examplePayload("pull_request", "synchronize"), mentee), mentor);
    expect(only("pull_request", p)).toEqual({
      kind: "pr_synchronize",
      dedupeKey: `pr_synchronize:${PR}:ec26c3e57ca3a959ca5aad62de7213c562f8c821`,
      occurredAt: "2019-05-15T15:20:33Z",
      actor: MENTOR,
      ...ON_PR,
      threadAuthorId: 101,
      data: PR_DATA,
    });
    const next = structuredClone(p);
    next.after = "0123456789abcdef0123456789abcdef01234567";
    expect(only("pull_request", next).dedupeKey).toBe(`pr_synchronize:${PR}:0123456789abcdef0123456789abcdef01234567`);
  });

  it("closed without merge: pr_closed at closed_at", () => {
    expect(only("pull_request", examplePayload("pull_request", "closed"))).toEqual({
      kind: "pr_closed",
      dedupeKey: `pr_closed:${PR}:2019-05-15T15:21:18Z`,
      occurredAt: "2019-05-15T15:21:18Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: PR_DATA,
    });
  });

  it("closed by a merge: pr_merged at merged_at", () => {
    const p = setSender(setMerged(examplePayload("pull_request", "closed"), "2026-07-01T12:00:00Z"), mentor);
    expect(only("pull_request", p)).toEqual({
      kind: "pr_merged",
      dedupeKey: `pr_merged:${PR}`,
      occurredAt: "2026-07-01T12:00:00Z",
      actor: MENTOR,
      ...ON_PR,
      data: PR_DATA,
    });
  });

  it("assigned / labeled", () => {
    expect(only("pull_request", examplePayload("pull_request", "assigned"))).toEqual({
      kind: "pr_assigned",
      dedupeKey: `pr_assigned:${PR}:${CODERTOCAT.id}:2019-05-15T15:20:33Z`,
      occurredAt: "2019-05-15T15:20:33Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: { ...PR_DATA, assignee: { id: CODERTOCAT.id, login: "Codertocat" } },
    });
    expect(only("pull_request", examplePayload("pull_request", "labeled"))).toEqual({
      kind: "pr_labeled",
      dedupeKey: `pr_labeled:${PR}:bug:2019-05-15T15:20:35Z`,
      occurredAt: "2019-05-15T15:20:35Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: { ...PR_DATA, label: "bug" },
    });
  });

  it("actions we do not track produce no events", () => {
    for (const action of ["unlabeled", "unassigned", "locked", "unlocked", "review_request_removed"]) {
      expect(normaliseWebhook("pull_request", examplePayload("pull_request", action))).toEqual({ ok: true, events: [] });
    }
  });
});

describe("pull_request_review and pull_request_review_comment", () => {
  it("review submitted: the reviewer (not the sender) at submitted_at, state lower-cased", () => {
    expect(only("pull_request_review", examplePayload("pull_request_review", "submitted"))).toEqual({
      kind: "review_submitted",
      dedupeKey: `review_submitted:${REVIEW}`,
      occurredAt: "2019-05-15T15:20:38Z",
      actor: CODERTOCAT,
      ...ON_PR,
      data: {
        title: PR_DATA.title,
        labels: [],
        url: "https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671",
        reviewState: "commented",
        githubId: 237895671,
      },
    });
    const p = setSender(examplePayload("pull_request_review", "submitted"), mentee);
    p.review.user = structuredClone(mentor);
    for (const [state, expected] of [
      ["approved", "approved"],
      ["CHANGES_REQUESTED", "changes_requested"],
      ["commented", "commented"],
    ] as const) {
      expect(only("pull_request_review", setReviewState(p, state))).toMatchObject({ actor: MENTOR, data: { reviewState: expected } });
    }
  });

  it("a review in a state we do not know is still a review (a response), just without reviewState", () => {
    const event = only("pull_request_review", setReviewState(examplePayload("pull_request_review", "submitted"), "something_new"));
    expect(event.kind).toBe("review_submitted");
    expect(event.data.reviewState).toBeUndefined();
  });

  it("review dismissed: the dismisser, at the PR's updated_at", () => {
    const p = setSender(examplePayload("pull_request_review", "dismissed"), mentor);
    expect(only("pull_request_review", p)).toEqual({
      kind: "review_dismissed",
      dedupeKey: `review_dismissed:${REVIEW}`,
      occurredAt: "2019-05-15T15:20:38Z",
      actor: MENTOR,
      ...ON_PR,
      // The example payload's PR is another one than the other examples'.
      threadNodeId: "MDExOlB1bGxSZXF1ZXN0MzcwMTIzNjQw",
      data: {
        title: PR_DATA.title,
        labels: ["bug"],
        url: "https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671",
        reviewState: "dismissed",
      },
    });
  });

  it("review comment created: the comment's author at created_at", () => {
    const p = setSender(examplePayload("pull_request_review_comment", "created"), mentee);
    p.comment.user = structuredClone(mentor);
    expect(only("pull_request_review_comment", p)).toEqual({
      kind: "review_comment_created",
      dedupeKey: `review_comment_created:${REVIEW_COMMENT}`,
      occurredAt: "2019-05-15T15:20:37Z",
      actor: MENTOR,
      ...ON_PR,
      data: {
        title: PR_DATA.title,
        labels: [],
        url: "https://github.com/Codertocat/Hello-World/pull/2#discussion_r284312630",
        // The numeric ids: creation order among comments of one second, and the review that carries it.
        githubId: 284312630,
        reviewId: 237895671,
      },
    });
  });

  it("review comment deleted: a comment_deleted keyed by the comment, like an issue comment's", () => {
    expect(only("pull_request_review_comment", examplePayload("pull_request_review_comment", "deleted"))).toMatchObject({
      kind: "comment_deleted",
      dedupeKey: `comment_deleted:${REVIEW_COMMENT}`,
      occurredAt: "2019-05-15T15:20:38Z",
      actor: CODERTOCAT,
      ...ON_PR,
    });
  });

  it("a PR edit is kept for its body's closing references (GitHub's examples have no pull_request.edited)", () => {
    const p = examplePayload("pull_request", "opened") as Record<string, any>;
    p.action = "edited";
    p.pull_request.body = "Part of #1, no longer closes it";
    p.pull_request.updated_at = "2026-07-03T08:00:00Z";
    expect(only("pull_request", p)).toMatchObject({
      kind: "pr_edited",
      dedupeKey: `pr_edited:${PR}:2026-07-03T08:00:00Z`,
      occurredAt: "2026-07-03T08:00:00Z",
      data: { linkedIssues: [] },
    });
  });

  it("review comment edits are not tracked", () => {
    expect(normaliseWebhook("pull_request_review_comment", examplePayload("pull_request_review_comment", "edited"))).toEqual({
      ok: true,
      events: [],
    });
  });
});

const COVERED: Array<[name: string, action: string, kind: EventKind]> = [
  ["issues", "opened", "issue_opened"],
  ["issues", "edited", "issue_edited"],
  ["issues", "closed", "issue_closed"],
  ["issues", "reopened", "issue_reopened"],
  ["issues", "labeled", "issue_labeled"],
  ["issues", "unlabeled", "issue_unlabeled"],
  ["issues", "assigned", "issue_assigned"],
  ["issues", "unassigned", "issue_unassigned"],
  ["issues", "milestoned", "issue_milestoned"],
  ["issues", "demilestoned", "issue_demilestoned"],
  ["issues", "transferred", "issue_transferred"],
  ["issues", "deleted", "issue_deleted"],
  ["issue_comment", "created", "comment_created"],
  ["issue_comment", "edited", "comment_edited"],
  ["issue_comment", "deleted", "comment_deleted"],
  ["pull_request", "opened", "pr_opened"],
  ["pull_request", "reopened", "pr_reopened"],
  ["pull_request", "ready_for_review", "pr_ready_for_review"],
  ["pull_request", "converted_to_draft", "pr_converted_to_draft"],
  ["pull_request", "review_requested", "pr_review_requested"],
  ["pull_request", "synchronize", "pr_synchronize"],
  ["pull_request", "closed", "pr_closed"],
  ["pull_request", "assigned", "pr_assigned"],
  ["pull_request", "labeled", "pr_labeled"],
  ["pull_request_review", "submitted", "review_submitted"],
  ["pull_request_review", "dismissed", "review_dismissed"],
  ["pull_request_review_comment", "created", "review_comment_created"],
  ["pull_request_review_comment", "deleted", "comment_deleted"],
];

describe("every example of every covered event", () => {
  it.each(COVERED)("%s.%s → %s, the same event again on redelivery, no wall-clock time", (name, action, kind) => {
    const examples = examplePayloads(name, action) as Array<Record<string, unknown>>;
    expect(examples.length).toBeGreaterThan(0);
    for (const payload of examples) {
      const event = only(name, payload);
      expect(event.kind).toBe(kind);
      expect(event.repo).toBe(String((payload.repository as { full_name: string }).full_name).toLowerCase());
      expect(event.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(event.occurredAt < "2022-01-01").toBe(true);
      expect(event.dedupeKey.startsWith(`${kind}:`)).toBe(true);
      // A redelivery is the same body under a new GUID (a header the normaliser never sees): nothing
      // else, no clock and no counter, may go into the event. The GUID side is ingestion.test.ts's
      // "the same GitHub activity under a new GUID (a redelivery) adds nothing".
      expect(only(name, structuredClone(payload))).toEqual(event);
    }
  });
});

describe("dedupe keys", () => {
  it("a different comment, review or label is a different key; the same one is the same key", () => {
    const comment = examplePayload("issue_comment", "created");
    const other = setCommentId(structuredClone(comment), 42);
    expect(only("issue_comment", comment).dedupeKey).toBe(only("issue_comment", structuredClone(comment)).dedupeKey);
    expect(only("issue_comment", other).dedupeKey).toBe("comment_created:IC_test42");

    const review = examplePayload("pull_request_review", "submitted");
    expect(only("pull_request_review", setReviewId(structuredClone(review), 7)).dedupeKey).toBe("review_submitted:PRR_test7");

    const labeled = examplePayload("issues", "labeled");
    const keys = new Set([
      only("issues", labeled).dedupeKey,
      only("issues", setEventLabel(structuredClone(labeled), "mentorship")).dedupeKey,
      only("issues", setOccurredAt(structuredClone(labeled), "2026-06-16T09:00:00Z")).dedupeKey,
    ]);
    expect(keys.size).toBe(3);
  });

  it("timestamps in keys are normalised like occurredAt, so the backfill's spelling of an instant matches", () => {
    const p = setOccurredAt(examplePayload("issues", "labeled"), "2026-06-16T11:30:00.123+02:00");
    expect(only("issues", p)).toMatchObject({
      occurredAt: "2026-06-16T09:30:00Z",
      dedupeKey: `issue_labeled:${ISSUE}:bug:2026-06-16T09:30:00Z`,
    });
  });

  it("dedupeKeys spells the documented scheme", () => {
    const at = "2026-06-16T09:30:00Z";
    expect(dedupeKeys.pr_review_requested("PR_x", { user: 5 }, at)).toBe(`pr_review_requested:PR_x:5:${at}`);
    expect(dedupeKeys.pr_review_requested("PR_x", { team: 7 }, at)).toBe(`pr_review_requested:PR_x:team-7:${at}`);
    expect(dedupeKeys.issue_milestoned("I_x", "Mid-term: evaluation", at)).toBe(`issue_milestoned:I_x:Mid-term: evaluation:${at}`);
    expect(dedupeKeys.pr_synchronize("PR_x", "abc")).toBe("pr_synchronize:PR_x:abc");
    expect(dedupeKeys.review_comment_created("PRRC_x")).toBe("review_comment_created:PRRC_x");
  });
});

describe("normaliseInstant", () => {
  it("gives UTC, Z, whole seconds; rejects what is not an ISO instant", () => {
    expect(normaliseInstant("2019-05-15T15:20:18Z")).toBe("2019-05-15T15:20:18Z");
    expect(normaliseInstant("2019-05-15T15:20:18.999Z")).toBe("2019-05-15T15:20:18Z");
    expect(normaliseInstant("2019-05-15T17:20:18+02:00")).toBe("2019-05-15T15:20:18Z");
    for (const bad of [null, undefined, 0, 1557933618, "", "2019", "yesterday", "2019-13-45T99:99:99Z", {}]) {
      expect(normaliseInstant(bad)).toBeNull();
    }
  });
});

describe("linked issues", () => {
  const repo = "asyncapi/cli";
  it.each([
    ["Fixes #12", [12]],
    ["closes #3, resolves #1 and FIXED #3", [1, 3]],
    ["Close #1\nfix #2\nResolve #3\nclosed #4\nfixes #5\nresolved #6", [1, 2, 3, 4, 5, 6]],
    ["Fixes: #7", [7]],
    ["fixes AsyncAPI/CLI#5", [5]],
    ["Resolves https://github.com/asyncapi/cli/issues/9.", [9]],
    ["(fixes #8)", [8]],
    ["Fixes #1, #2", [1]], // GitHub needs a keyword per reference
    ["fixes other/repo#5", []],
    ["fixes https://github.com/other/repo/issues/5", []],
    ["fixes https://github.com/asyncapi/cli/pull/5", []],
    ["fixes https://example.com/asyncapi/cli/issues/5", []],
    ["prefixes #4", []],
    ["#4 is fixed", []],
    ["fix #4abc", []],
    ["see #5", []],
    ["fixes #0", []],
  ])("%j → %j", (body, expected) => {
    expect(parseLinkedIssues(body, repo)).toEqual(expected);
  });

  it("only issue URLs on the repository's host (GitHub Enterprise Server)", () => {
    expect(parseLinkedIssues("Fixes https://ghe.example.com/asyncapi/cli/issues/3", repo, "ghe.example.com")).toEqual([3]);
    expect(parseLinkedIssues("Fixes https://ghe.example.com/asyncapi/cli/issues/3", repo)).toEqual([]);
  });

  it("no body, no links", () => {
    for (const body of [null, undefined, "", 42, {}]) expect(parseLinkedIssues(body, repo)).toEqual([]);
    const p = setBody(examplePayload("pull_request", "opened"), null);
    expect(only("pull_request", p).data.linkedIssues).toEqual([]);
  });

  it("reads the host from the payload's repository", () => {
    const p = setBody(examplePayload("pull_request", "opened"), "Fixes https://ghe.example.com/Codertocat/Hello-World/issues/3");
    p.repository.html_url = "https://ghe.example.com/Codertocat/Hello-World";
    expect(only("pull_request", p).data.linkedIssues).toEqual([3]);
  });
});

describe("bots", () => {
  it("isBotActor: type Bot, or a login ending in [bot]", () => {
    expect(isBotActor({ type: "Bot", login: "mentorship-tracker" })).toBe(true);
    expect(isBotActor({ type: "User", login: "renovate[bot]" })).toBe(true);
    expect(isBotActor({ login: "Dependabot[BOT]" })).toBe(true);
    expect(isBotActor({ type: "User", login: "neoandmatrix" })).toBe(false);
    expect(isBotActor({ type: "User", login: "bot" })).toBe(false);
    for (const nothing of [null, undefined, {}, "Bot" as never, 1 as never]) expect(isBotActor(nothing)).toBe(false);
  });

  it("marks bot actors in events", () => {
    const comment = setActor(examplePayload("issue_comment", "created"), ghBot("github-actions"));
    expect(only("issue_comment", comment).actor).toMatchObject({ login: "github-actions[bot]", isBot: true });
    const renamed = setActor(examplePayload("issues", "labeled"), ghUser("helper[bot]"));
    expect(only("issues", renamed).actor.isBot).toBe(true);
    expect(only("issues", examplePayload("issues", "labeled")).actor.isBot).toBe(false);
  });
});

describe("what we do not track", () => {
  it("other events and actions produce no events", () => {
    expect(normaliseWebhook("push", examplePayload("push"))).toEqual({ ok: true, events: [] });
    expect(normaliseWebhook("installation", examplePayload("installation", "created"))).toEqual({ ok: true, events: [] });
    expect(normaliseWebhook("issues", examplePayload("issues", "pinned"))).toEqual({ ok: true, events: [] });
    expect(normaliseWebhook("issues", examplePayload("issues", "locked"))).toEqual({ ok: true, events: [] });
    expect(normaliseWebhook("pull_request_review", examplePayload("pull_request_review", "submitted"))).toMatchObject({ ok: true });
    expect(normaliseWebhook("issues", { action: "some_future_action" })).toEqual({ ok: true, events: [] });
  });

  it("names that are also object properties are not handlers", () => {
    expect(normaliseWebhook("constructor", {})).toEqual({ ok: true, events: [] });
    expect(normaliseWebhook("__proto__", {})).toEqual({ ok: true, events: [] });
    expect(normaliseWebhook("issues", { action: "constructor" })).toEqual({ ok: true, events: [] });
    expect(normaliseWebhook("issues", { action: "toString" })).toEqual({ ok: true, events: [] });
  });
});

describe("malformed payloads", () => {
  it("say what is missing instead of throwing", () => {
    const opened = () => examplePayload("issues", "opened") as unknown as Record<string, any>;
    const cases: Array<[string, unknown, string]> = [
      ["issues", null, "issues: payload is not an object"],
      ["issues", "x", "issues: payload is not an object"],
      ["issues", [], "issues: payload is not an object"],
      ["issues", 42, "issues: payload is not an object"],
      ["issues", {}, "issues: payload has no action"],
      ["issues", { action: 1 }, "issues: payload has no action"],
      ["issues", { action: "opened" }, "issues.opened: payload has no issue"],
      ["issues", { ...opened(), repository: undefined }, "issues.opened: payload has no repository"],
      ["issues", { ...opened(), sender: null }, "issues.opened: payload has no sender"],
      ["issues", { ...opened(), issue: { ...opened().issue, number: "1" } }, "issues.opened: payload has an invalid issue.number"],
      ["issues", { ...opened(), issue: { ...opened().issue, number: undefined } }, "issues.opened: payload has no issue.number"],
      ["issues", { ...opened(), issue: { ...opened().issue, user: null } }, "issues.opened: payload has no issue.user"],
      ["issues", { ...opened(), issue: { ...opened().issue, created_at: "yesterday" } }, "issues.opened: payload has an invalid issue.created_at"],
      ["issues", { ...opened(), sender: { login: "x" } }, "issues.opened: payload has no sender.id"],
      ["issues", { ...opened(), action: "labeled" }, "issues.labeled: payload has no label"],
      ["issues", { ...opened(), action: "transferred" }, "issues.transferred: payload has no changes"],
      ["issues", { ...opened(), action: "closed" }, "issues.closed: payload has no issue.closed_at"],
    ];
    for (const [name, payload, reason] of cases) expect([name, reasonOf(name, payload)]).toEqual([name, reason]);

    const comment = examplePayload("issue_comment", "created") as unknown as Record<string, any>;
    delete comment.comment.user;
    expect(reasonOf("issue_comment", comment)).toBe("issue_comment.created: payload has no comment.user");
    const review = examplePayload("pull_request_review", "submitted") as unknown as Record<string, any>;
    review.review.node_id = "";
    expect(reasonOf("pull_request_review", review)).toBe("pull_request_review.submitted: payload has an invalid review.node_id");
    const sync = examplePayload("pull_request", "synchronize") as unknown as Record<string, any>;
    delete sync.after;
    expect(reasonOf("pull_request", sync)).toBe("pull_request.synchronize: payload has no after");
    const merged = setMerged(examplePayload("pull_request", "closed"), "2026-07-01T12:00:00Z") as unknown as Record<string, any>;
    merged.pull_request.merged_at = "not a date";
    expect(reasonOf("pull_request", merged)).toBe("pull_request.closed: payload has an invalid pull_request.merged_at");
  });

  it("never throw, whatever field is missing or of the wrong type", () => {
    const replacements: unknown[] = [undefined, null, "x", 0, -1, [], {}, true];
    let calls = 0;
    for (const [name, action] of COVERED) {
      const payload = examplePayloads(name, action)[0] as Record<string, any>;
      for (const path of pathsOf(payload, 3)) {
        for (const value of replacements) {
          // Mutate and restore rather than clone: thousands of cases, and the normaliser only reads.
          const restore = setPath(payload, path, value);
          const result = normaliseWebhook(name, payload);
          restore();
          calls++;
          // Every failure is a named missing field, not the safety net catching a bug.
          if (!result.ok && (!/^[a-z_]+(\.[a-z_]+)?: payload /.test(result.reason) || result.reason.includes("could not normalise"))) {
            throw new Error(`unexpected reason for ${path.join(".")} = ${JSON.stringify(value)}: ${result.reason}`);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(1000);
  });

  it("even an object that throws when read is a reason, not an exception", () => {
    const hostile = new Proxy({}, { get: () => { throw new Error("boom"); } });
    expect(normaliseWebhook("issues", hostile)).toEqual({ ok: false, reason: "issues: could not normalise payload (boom)" });
  });
});

/** Paths to every field up to `depth` levels down (arrays included), for mutation tests. */
function pathsOf(value: unknown, depth: number, prefix: string[] = []): string[][] {
  if (depth === 0 || typeof value !== "object" || value === null) return [];
  return Object.keys(value).flatMap((k) => [[...prefix, k], ...pathsOf((value as Record<string, unknown>)[k], depth - 1, [...prefix, k])]);
}

/** Sets the field at `path`; returns how to put the old value back. */
function setPath(root: Record<string, any>, path: string[], value: unknown): () => void {
  let node: any = root;
  for (const key of path.slice(0, -1)) node = node[key];
  const key = path[path.length - 1]!;
  const had = Object.hasOwn(node, key);
  const old = node[key];
  node[key] = value;
  return () => {
    if (had) node[key] = old;
    else delete node[key];
  };
}
