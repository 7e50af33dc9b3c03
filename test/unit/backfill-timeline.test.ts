import { describe, expect, it } from "@jest/globals";
import { planSearches, searchQuery, splitScope } from "../../src/domain/backfill-plan.js";
import { programWindow } from "../../src/domain/program.js";
import type { GqlThread, GqlTimelineItem } from "../../src/github/backfill.js";
import { actorOf, timelineEvents } from "../../src/github/timeline.js";
import { alumniModel } from "../helpers/alumni-roster.js";
import { worldModel } from "../helpers/scenario.js";

const MENTEE = { __typename: "User", login: "mentee-one", databaseId: 101 };
const MENTOR = { __typename: "User", login: "mentor-one", databaseId: 201 };

function thread(kind: "Issue" | "PullRequest", overrides: Partial<GqlThread> = {}): GqlThread {
  return {
    __typename: kind,
    id: kind === "Issue" ? "I_1" : "PR_1",
    number: 1,
    title: "A thread",
    url: `https://github.com/asyncapi/cli/${kind === "Issue" ? "issues" : "pull"}/1`,
    createdAt: "2026-07-01T10:00:00Z",
    author: MENTEE,
    repository: { nameWithOwner: "AsyncAPI/CLI" },
    labels: { nodes: [] },
    ...(kind === "PullRequest" ? { body: "", isDraft: false } : {}),
    timelineItems: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
    ...overrides,
  };
}

const events = (t: GqlThread, items: GqlTimelineItem[]) => timelineEvents(t, items);

describe("timeline → events, as the webhooks would have stored them", () => {
  it("rebuilds the labels a thread had at each moment from today's labels and the label events", () => {
    const t = thread("Issue", { labels: { nodes: [{ name: "mentorship" }] } });
    const out = events(t, [
      { __typename: "UnlabeledEvent", createdAt: "2026-07-02T10:00:00Z", actor: MENTOR, label: { name: "triage" } },
      { __typename: "LabeledEvent", createdAt: "2026-07-03T10:00:00Z", actor: MENTOR, label: { name: "mentorship" } },
      { __typename: "IssueComment", id: "IC_1", createdAt: "2026-07-04T10:00:00Z", url: "u", author: MENTEE },
    ]);
    expect(out.map((e) => [e.kind, e.data.labels])).toEqual([
      ["issue_opened", ["triage"]],
      ["issue_unlabeled", []],
      ["issue_labeled", ["mentorship"]],
      ["comment_created", ["mentorship"]],
    ]);
    expect(out[0]).toMatchObject({ repo: "asyncapi/cli", threadKind: "issue", threadNodeId: "I_1", dedupeKey: "issue_opened:I_1" });
  });

  it("knows a PR that is ready today was opened as a draft", () => {
    const out = events(thread("PullRequest", { body: "Fixes #7" }), [{ __typename: "ReadyForReviewEvent", createdAt: "2026-07-02T10:00:00Z", actor: MENTEE }]);
    expect(out.map((e) => [e.kind, e.data.draft, e.data.linkedIssues])).toEqual([
      ["pr_opened", true, [7]],
      ["pr_ready_for_review", false, [7]],
    ]);
  });

  it("a merge is one pr_merged, not also a pr_closed; an earlier close without merge stays", () => {
    const out = events(thread("PullRequest"), [
      { __typename: "ClosedEvent", createdAt: "2026-07-02T10:00:00Z", actor: MENTEE },
      { __typename: "ReopenedEvent", createdAt: "2026-07-03T10:00:00Z", actor: MENTEE },
      { __typename: "MergedEvent", createdAt: "2026-07-04T10:00:00Z", actor: MENTOR },
      { __typename: "ClosedEvent", createdAt: "2026-07-04T10:00:00Z", actor: MENTOR },
    ]);
    expect(out.map((e) => e.dedupeKey)).toEqual([
      "pr_opened:PR_1",
      "pr_closed:PR_1:2026-07-02T10:00:00Z",
      "pr_reopened:PR_1:2026-07-03T10:00:00Z",
      "pr_merged:PR_1",
    ]);
  });

  it("a dismissed review counts as what it was when submitted; pending reviews are nobody's business yet", () => {
    const out = events(thread("PullRequest"), [
      { __typename: "PullRequestReview", id: "PRR_1", state: "DISMISSED", submittedAt: "2026-07-02T10:00:00Z", url: "r1", author: MENTOR },
      { __typename: "ReviewDismissedEvent", createdAt: "2026-07-03T10:00:00Z", actor: MENTOR, previousReviewState: "CHANGES_REQUESTED", review: { id: "PRR_1" } },
      { __typename: "PullRequestReview", id: "PRR_2", state: "PENDING", submittedAt: null, url: "r2", author: MENTOR },
    ]);
    expect(out.filter((e) => e.kind !== "pr_opened").map((e) => [e.kind, e.data.reviewState, e.data.url])).toEqual([
      ["review_submitted", "changes_requested", "r1"],
      ["review_dismissed", "dismissed", "r1"],
    ]);
  });

  it("pushes: commits the PR opened with are no synchronize; a commit listed after a review was pushed no earlier than it", () => {
    const out = events(thread("PullRequest"), [
      { __typename: "PullRequestCommit", commit: { oid: "a".repeat(40), committedDate: "2026-07-01T09:00:00Z", author: { user: MENTEE } } },
      { __typename: "PullRequestReview", id: "PRR_1", state: "CHANGES_REQUESTED", submittedAt: "2026-07-02T10:00:00Z", url: "r", author: MENTOR },
      // Authored before the review, pushed after it: GraphQL has no push time, the timeline order tells.
      { __typename: "PullRequestCommit", commit: { oid: "b".repeat(40), committedDate: "2026-07-02T09:00:00Z", author: { user: MENTEE } } },
      { __typename: "HeadRefForcePushedEvent", createdAt: "2026-07-05T10:00:00Z", actor: MENTEE, afterCommit: { oid: "c".repeat(40) } },
      { __typename: "PullRequestCommit", commit: { oid: "c".repeat(40), committedDate: "2026-07-04T09:00:00Z", author: { user: MENTEE } } },
    ]);
    expect(out.filter((e) => e.kind === "pr_synchronize").map((e) => [e.dedupeKey, e.occurredAt])).toEqual([
      [`pr_synchronize:PR_1:${"b".repeat(40)}`, "2026-07-02T10:00:00Z"],
      [`pr_synchronize:PR_1:${"c".repeat(40)}`, "2026-07-05T10:00:00Z"],
    ]);
  });

  it("review requests name the user or the team, keyed like the webhook's", () => {
    const out = events(thread("PullRequest"), [
      { __typename: "ReviewRequestedEvent", createdAt: "2026-07-02T10:00:00Z", actor: MENTEE, requestedReviewer: { __typename: "User", login: "mentor-one", databaseId: 201 } },
      { __typename: "ReviewRequestedEvent", createdAt: "2026-07-02T10:00:00Z", actor: MENTEE, requestedReviewer: { __typename: "Team", databaseId: 55 } },
      { __typename: "ReviewRequestedEvent", createdAt: "2026-07-02T10:00:00Z", actor: MENTEE, requestedReviewer: null },
    ]);
    expect(out.filter((e) => e.kind === "pr_review_requested").map((e) => [e.dedupeKey, e.data.requestedReviewer])).toEqual([
      ["pr_review_requested:PR_1:201:2026-07-02T10:00:00Z", { id: 201, login: "mentor-one" }],
      ["pr_review_requested:PR_1:team-55:2026-07-02T10:00:00Z", undefined],
    ]);
  });

  it("actors: bots get REST's [bot] login, deleted accounts are the ghost, organisations are nobody", () => {
    expect(actorOf({ __typename: "Bot", login: "dependabot", databaseId: 49699333 })).toEqual({ id: 49699333, login: "dependabot[bot]", isBot: true });
    expect(actorOf(null)).toEqual({ id: 10137, login: "ghost", isBot: false });
    expect(actorOf({ __typename: "Organization", login: "asyncapi" })).toBeNull();
    const out = events(thread("Issue"), [{ __typename: "IssueComment", id: "IC_9", createdAt: "2026-07-02T10:00:00Z", url: "u", author: null }]);
    expect(out[1]!.actor.login).toBe("ghost");
  });
});

describe("which searches the roster implies", () => {
  it("per mentee involves: and reviewed-by:, per repo the task label, from the earliest program start", () => {
    const model = worldModel();
    const amp = model.programs[0]!;
    const earlier = { ...amp, id: "gsoc-2026", starts: "2026-05-01", window: programWindow("2026-05-01", "2026-09-01", "UTC") };
    earlier.projects = [{ ...amp.projects[0]!, mentees: [amp.projects[0]!.mentees[0]!] }];
    const plan = planSearches({ ...model, taskLabel: "good first mentorship", programs: [amp, earlier] }, { login: "asyncapi", type: "Organization" });
    expect(plan.map((s) => searchQuery(s))).toEqual([
      "org:asyncapi involves:mentee-one updated:>=2026-05-01T00:00:00+00:00 sort:updated-asc",
      "org:asyncapi reviewed-by:mentee-one updated:>=2026-05-01T00:00:00+00:00 sort:updated-asc",
      "org:asyncapi involves:mentee-two updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
      "org:asyncapi reviewed-by:mentee-two updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
      'repo:asyncapi/cli label:"good first mentorship" updated:>=2026-05-01T00:00:00+00:00 sort:updated-asc',
    ]);
  });

  it("a project without repos is found through its mentees' involves: searches alone", () => {
    // involves: covers every thread a repo-less project counts (the writer's own threads, tasks assigned
    // to them) and every comment that can be a request anywhere (mentions, the app's tracking issues).
    const plan = planSearches(alumniModel(), { login: "asyncapi", type: "Organization" }, { programId: "mentorship-2023" });
    expect(plan.map((s) => s.qualifiers).filter((q) => q.includes("docs-writer-a"))).toEqual([
      "org:asyncapi involves:docs-writer-a",
      "org:asyncapi reviewed-by:docs-writer-a",
    ]);
    expect(plan.map((s) => s.qualifiers).filter((q) => q.startsWith("repo:"))).toEqual(["repo:asyncapi/cli label:mentorship"]);
  });

  it("--program and --since narrow it; a personal account is searched with user:", () => {
    const plan = planSearches(worldModel(), { login: "someone", type: "User" }, { programId: "amp-2026", since: "2026-07-01T00:00:00Z" });
    expect(plan[0]!.qualifiers).toBe("user:someone involves:mentee-one");
    expect(plan.every((s) => s.from === "2026-07-01T00:00:00Z")).toBe(true);
    expect(planSearches(worldModel(), { login: "asyncapi", type: "Organization" }, { programId: "nope" })).toEqual([]);
    // A --since before the program started does not reach further back than the program.
    expect(planSearches(worldModel(), { login: "a", type: "Organization" }, { since: "2020-01-01T00:00:00Z" })[0]!.from).toBe("2026-06-15T00:00:00Z");
  });

  it("halves a date range at a whole minute, and stops at one minute", () => {
    const scope = { key: "k", qualifiers: "org:a involves:b", from: "2026-06-15T00:00:00Z", to: null };
    const parts = splitScope(scope, "2026-06-17T00:00:00Z")!;
    expect(parts.map((p) => [p.from, p.to])).toEqual([
      ["2026-06-15T00:00:00Z", "2026-06-16T00:00:00Z"],
      ["2026-06-16T00:00:00Z", "2026-06-17T00:00:00Z"],
    ]);
    expect(searchQuery(parts[0]!)).toBe("org:a involves:b updated:2026-06-15T00:00:00+00:00..2026-06-16T00:00:00+00:00 sort:updated-asc");
    expect(splitScope({ ...scope, to: "2026-06-15T00:01:00Z" }, "2026-06-17T00:00:00Z")).toBeNull();
  });
});
