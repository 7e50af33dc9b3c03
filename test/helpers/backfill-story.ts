import nock from "nock";
import type { GqlActor } from "../../src/github/backfill.js";
import { type GraphqlRequest, type OrgThread, StandinOrg } from "../../src/demo/standin-graphql.js";
import { ghBot, type GhUser, setLabels, setRepo, setTitle } from "./payloads.js";
import {
  commentCreated,
  commentDeleted,
  issueAction,
  mentee,
  mentee2,
  mentor,
  prAction,
  prOpened,
  REPO,
  reviewCommentCreated,
  reviewSubmitted,
} from "./scenario.js";

/**
 * One small program story told twice, the way GitHub would tell it: as the webhooks it sends while
 * things happen, and as the GraphQL backfill reads it afterwards. Same node ids, same instants.
 *
 *  #10 issue (task) by the mentor: labelled, assigned to mentee-one, mentee asks, mentor answers, closed.
 *      A later question by the mentee is deleted at once (webhooks see it come and go; GraphQL never does).
 *  #11 PR by mentee-one, "Closes #10": review requested, changes requested (with an inline comment
 *      drafted two hours before the review was submitted), push, approved, merged.
 *  #12 draft PR by mentee-two: marked ready, mentee comments, a bot comments, a mentor's comment is
 *      deleted the same second it was made; nobody answers yet.
 *  #13 task: the mentee asks and the mentor answers in the same second; the question has the lower id
 *      (999 < 1000) but the higher node id ("IC_test999" > "IC_test1000").
 *  #14 task: the mentee asks, then the issue moves to asyncapi/generator#20, where the mentor answers
 *      and closes it. GraphQL only knows #20, with the whole history.
 */

type Rec = Record<string, any>;

export const BOT = ghBot("netlify", { id: 8_800_001 });
const HEAD = "b".repeat(40);

export function gqlUser(u: GhUser): GqlActor {
  const bot = u.type === "Bot";
  return { __typename: bot ? "Bot" : "User", login: bot ? u.login.replace(/\[bot\]$/, "") : u.login, databaseId: u.id };
}

const TASK_TITLE = "Document the CLI";
const SAME_SECOND_TITLE = "Can I take this?";
const MOVED_TITLE = "Generator flag docs";
/** Where #14 is transferred: a second repository of the project. */
export const TRANSFER_REPO = "asyncapi/generator";
const PR_TITLE = "docs: CLI reference";
const DRAFT_TITLE = "feat: new generator flag";

/** Webhook deliveries in the order GitHub sent them, for one installation. */
export function storyWebhooks(installationId: number): Array<[string, Rec]> {
  const task = (p: Rec, labels: string[]) => inInstallation(setTitle(setLabels(p, labels), TASK_TITLE), installationId);
  const pr = (p: Rec, title = PR_TITLE) => inInstallation(setTitle(setLabels(p, []), title), installationId);
  const taskThread = { kind: "issue" as const, number: 10, author: mentor, labels: ["mentorship"] };
  const reviewRequested = pr(prOpened(11, "2026-06-18T09:00:00Z", mentee, { body: "Closes #10" }));
  reviewRequested.action = "review_requested";
  reviewRequested.requested_reviewer = structuredClone(mentor);
  reviewRequested.pull_request.updated_at = "2026-06-18T09:05:00Z";
  return [
    ["issues", task(issueAction("opened", 10, "2026-06-16T09:00:00Z", mentor, { author: mentor }), [])],
    ["issues", task(issueAction("labeled", 10, "2026-06-16T09:01:00Z", mentor, { author: mentor, label: "mentorship" }), ["mentorship"])],
    ["issues", task(issueAction("assigned", 10, "2026-06-16T09:02:00Z", mentor, { author: mentor, assignee: mentee }), ["mentorship"])],
    ["issue_comment", task(commentCreated(taskThread, 1001, "2026-06-17T10:00:00Z", mentee), ["mentorship"])],
    ["issue_comment", task(commentCreated(taskThread, 1002, "2026-06-17T15:00:00Z", mentor), ["mentorship"])],
    ["pull_request", pr(prOpened(11, "2026-06-18T09:00:00Z", mentee, { body: "Closes #10" }))],
    ["pull_request", reviewRequested],
    ["pull_request_review", pr(reviewSubmitted(11, 2001, "2026-06-19T11:00:00Z", mentor, mentee, "changes_requested"))],
    ["pull_request", pr(prAction("synchronize", 11, "2026-06-20T08:00:00Z", mentee, mentee, { after: HEAD, body: "Closes #10" }))],
    ["pull_request_review", pr(reviewSubmitted(11, 2002, "2026-06-21T10:00:00Z", mentor, mentee, "approved"))],
    ["pull_request", pr(prAction("closed", 11, "2026-06-22T12:00:00Z", mentor, mentee, { merged: true, body: "Closes #10" }))],
    ["issues", task(issueAction("closed", 10, "2026-06-22T12:05:00Z", mentor, { author: mentor, stateReason: "completed" }), ["mentorship"])],
    ["pull_request", pr(prOpened(12, "2026-06-23T09:00:00Z", mentee2, { draft: true }), DRAFT_TITLE)],
    ["pull_request", pr(prAction("ready_for_review", 12, "2026-06-24T09:00:00Z", mentee2, mentee2), DRAFT_TITLE)],
    ["issue_comment", inInstallation(commentCreated({ kind: "pr", number: 12, author: mentee2 }, 1003, "2026-06-24T09:30:00Z", mentee2), installationId, DRAFT_TITLE)],
    ["issue_comment", inInstallation(commentCreated({ kind: "pr", number: 12, author: mentee2 }, 1004, "2026-06-24T09:31:00Z", BOT), installationId, DRAFT_TITLE)],
    ...laterChapters(installationId),
  ];
}

/** Deletions, same-second comments, a drafted review comment and a transfer (see the top). */
function laterChapters(installationId: number): Array<[string, Rec]> {
  const on = (p: Rec, title: string, labels: string[] = ["mentorship"]) => inInstallation(setTitle(setLabels(p, labels), title), installationId);
  const draftPr = { kind: "pr" as const, number: 12, author: mentee2 };
  const task10 = { kind: "issue" as const, number: 10, author: mentor, labels: ["mentorship"] };
  const task13 = { kind: "issue" as const, number: 13, author: mentor, labels: ["mentorship"] };
  const task14 = { kind: "issue" as const, number: 14, author: mentor, labels: ["mentorship"] };
  const moved = { kind: "issue" as const, number: 20, author: mentor, labels: ["mentorship"] };
  const transferred = on(issueAction("transferred", 14, "2026-06-27T09:00:00Z", mentor, { author: mentor }), MOVED_TITLE);
  transferred.changes = {
    new_repository: { ...transferred.repository, full_name: TRANSFER_REPO, name: "generator" },
    new_issue: { ...transferred.issue, number: 20, node_id: "I_test20", html_url: `https://github.com/${TRANSFER_REPO}/issues/20` },
  };
  const there = (p: Rec) => setRepo(on(p, MOVED_TITLE), TRANSFER_REPO);
  return [
    // The deletion is delivered first and ties with the creation on its instant.
    ["issue_comment", on(commentDeleted(task10, 1006, "2026-06-18T10:00:00Z", mentee), TASK_TITLE)],
    ["issue_comment", on(commentCreated(task10, 1006, "2026-06-18T10:00:00Z", mentee, "wrong issue, sorry"), TASK_TITLE)],
    ["issue_comment", inInstallation(commentCreated(draftPr, 1005, "2026-06-24T10:00:00Z", mentor, "meant for another PR"), installationId, DRAFT_TITLE)],
    ["issue_comment", inInstallation(commentDeleted(draftPr, 1005, "2026-06-24T10:00:00Z", mentor), installationId, DRAFT_TITLE)],
    ["pull_request_review_comment", on(reviewCommentCreated(11, 3001, 2001, "2026-06-19T09:00:00Z", mentor, mentee), PR_TITLE, [])],
    ["issues", on(issueAction("opened", 13, "2026-06-25T09:00:00Z", mentor, { author: mentor }), SAME_SECOND_TITLE, [])],
    ["issues", on(issueAction("labeled", 13, "2026-06-25T09:01:00Z", mentor, { author: mentor, label: "mentorship" }), SAME_SECOND_TITLE)],
    // Delivered answer first; the question was created first (lower id).
    ["issue_comment", on(commentCreated(task13, 1000, "2026-06-25T10:00:00Z", mentor, "sure, it's yours"), SAME_SECOND_TITLE)],
    ["issue_comment", on(commentCreated(task13, 999, "2026-06-25T10:00:00Z", mentee, "can I take this?"), SAME_SECOND_TITLE)],
    ["issues", on(issueAction("opened", 14, "2026-06-26T09:00:00Z", mentor, { author: mentor }), MOVED_TITLE, [])],
    ["issues", on(issueAction("labeled", 14, "2026-06-26T09:01:00Z", mentor, { author: mentor, label: "mentorship" }), MOVED_TITLE)],
    ["issues", on(issueAction("assigned", 14, "2026-06-26T09:02:00Z", mentor, { author: mentor, assignee: mentee }), MOVED_TITLE)],
    ["issue_comment", on(commentCreated(task14, 1007, "2026-06-26T10:00:00Z", mentee), MOVED_TITLE)],
    ["issues", transferred],
    ["issue_comment", there(commentCreated(moved, 1008, "2026-06-27T10:00:00Z", mentor, "answered here"))],
    ["issues", there(issueAction("closed", 20, "2026-06-28T09:00:00Z", mentor, { author: mentor, stateReason: "completed" }))],
  ];
}

function inInstallation(p: Rec, installationId: number, title?: string): Rec {
  p.installation = { id: installationId, node_id: "MDIz" };
  if (title) setTitle(p, title);
  return p;
}

const url = (kind: "issues" | "pull", n: number) => `https://github.com/${REPO}/${kind}/${n}`;

/** The same story as GitHub's GraphQL API shows it afterwards. */
export function storyThreads(): OrgThread[] {
  const M = gqlUser(mentor);
  const ME = gqlUser(mentee);
  const ME2 = gqlUser(mentee2);
  return [
    {
      __typename: "Issue",
      id: "I_test10",
      number: 10,
      repo: REPO,
      title: TASK_TITLE,
      createdAt: "2026-06-16T09:00:00Z",
      updatedAt: "2026-06-22T12:05:00Z",
      author: M,
      labels: ["mentorship"],
      timeline: [
        { __typename: "LabeledEvent", createdAt: "2026-06-16T09:01:00Z", actor: M, label: { name: "mentorship" } },
        { __typename: "AssignedEvent", createdAt: "2026-06-16T09:02:00Z", actor: M, assignee: ME },
        { __typename: "IssueComment", id: "IC_test1001", databaseId: 1001, createdAt: "2026-06-17T10:00:00Z", url: `${url("issues", 10)}#issuecomment-1001`, author: ME },
        { __typename: "IssueComment", id: "IC_test1002", databaseId: 1002, createdAt: "2026-06-17T15:00:00Z", url: `${url("issues", 10)}#issuecomment-1002`, author: M },
        { __typename: "ClosedEvent", createdAt: "2026-06-22T12:05:00Z", actor: M, stateReason: "COMPLETED" },
      ],
    },
    {
      __typename: "PullRequest",
      id: "PR_test11",
      number: 11,
      repo: REPO,
      title: PR_TITLE,
      createdAt: "2026-06-18T09:00:00Z",
      updatedAt: "2026-06-22T12:00:00Z",
      author: ME,
      labels: [],
      body: "Closes #10",
      isDraft: false,
      timeline: [
        // The commit the PR was opened with: no synchronize webhook was ever sent for it.
        { __typename: "PullRequestCommit", commit: { oid: "a".repeat(40), committedDate: "2026-06-18T08:50:00Z", author: { user: ME } } },
        { __typename: "ReviewRequestedEvent", createdAt: "2026-06-18T09:05:00Z", actor: ME, requestedReviewer: { __typename: "User", login: mentor.login, databaseId: mentor.id } },
        { __typename: "PullRequestReview", id: "PRR_test2001", databaseId: 2001, state: "CHANGES_REQUESTED", submittedAt: "2026-06-19T11:00:00Z", url: `${url("pull", 11)}#pullrequestreview-2001`, author: M },
        { __typename: "PullRequestCommit", commit: { oid: HEAD, committedDate: "2026-06-20T08:00:00Z", author: { user: ME } } },
        { __typename: "PullRequestReview", id: "PRR_test2002", databaseId: 2002, state: "APPROVED", submittedAt: "2026-06-21T10:00:00Z", url: `${url("pull", 11)}#pullrequestreview-2002`, author: M },
        { __typename: "MergedEvent", createdAt: "2026-06-22T12:00:00Z", actor: M },
        { __typename: "ClosedEvent", createdAt: "2026-06-22T12:00:00Z", actor: M, stateReason: null },
      ],
    },
    {
      __typename: "PullRequest",
      id: "PR_test12",
      number: 12,
      repo: REPO,
      title: DRAFT_TITLE,
      createdAt: "2026-06-23T09:00:00Z",
      updatedAt: "2026-06-24T09:31:00Z",
      author: ME2,
      labels: [],
      body: "",
      isDraft: false,
      timeline: [
        { __typename: "ReadyForReviewEvent", createdAt: "2026-06-24T09:00:00Z", actor: ME2 },
        { __typename: "IssueComment", id: "IC_test1003", databaseId: 1003, createdAt: "2026-06-24T09:30:00Z", url: `${url("pull", 12)}#issuecomment-1003`, author: ME2 },
        { __typename: "IssueComment", id: "IC_test1004", databaseId: 1004, createdAt: "2026-06-24T09:31:00Z", url: `${url("pull", 12)}#issuecomment-1004`, author: gqlUser(BOT) },
      ],
    },
    {
      __typename: "Issue",
      id: "I_test13",
      number: 13,
      repo: REPO,
      title: SAME_SECOND_TITLE,
      createdAt: "2026-06-25T09:00:00Z",
      updatedAt: "2026-06-25T10:00:00Z",
      author: M,
      labels: ["mentorship"],
      timeline: [
        { __typename: "LabeledEvent", createdAt: "2026-06-25T09:01:00Z", actor: M, label: { name: "mentorship" } },
        { __typename: "IssueComment", id: "IC_test1000", databaseId: 1000, createdAt: "2026-06-25T10:00:00Z", url: `${url("issues", 13)}#issuecomment-1000`, author: M },
        { __typename: "IssueComment", id: "IC_test999", databaseId: 999, createdAt: "2026-06-25T10:00:00Z", url: `${url("issues", 13)}#issuecomment-999`, author: ME },
      ],
    },
    {
      // #14 as GraphQL shows it after the transfer: a new issue, the whole history moved with it.
      __typename: "Issue",
      id: "I_test20",
      number: 20,
      repo: TRANSFER_REPO,
      title: MOVED_TITLE,
      createdAt: "2026-06-26T09:00:00Z",
      updatedAt: "2026-06-28T09:00:00Z",
      author: M,
      labels: ["mentorship"],
      timeline: [
        { __typename: "LabeledEvent", createdAt: "2026-06-26T09:01:00Z", actor: M, label: { name: "mentorship" } },
        { __typename: "AssignedEvent", createdAt: "2026-06-26T09:02:00Z", actor: M, assignee: ME },
        { __typename: "IssueComment", id: "IC_test1007", databaseId: 1007, createdAt: "2026-06-26T10:00:00Z", url: `https://github.com/${TRANSFER_REPO}/issues/20#issuecomment-1007`, author: ME },
        { __typename: "IssueComment", id: "IC_test1008", databaseId: 1008, createdAt: "2026-06-27T10:00:00Z", url: `https://github.com/${TRANSFER_REPO}/issues/20#issuecomment-1008`, author: M },
        { __typename: "ClosedEvent", createdAt: "2026-06-28T09:00:00Z", actor: M, stateReason: "COMPLETED" },
      ],
    },
  ];
}

export type Fault = (request: GraphqlRequest) => { status: number; body: unknown; headers?: Record<string, string> } | undefined;

/**
 * GitHub's GraphQL endpoint answered by a stand-in org. `faults` are consulted first, in order:
 * a fault that answers is used once and dropped.
 */
export function mountGraphql(org: StandinOrg, faults: Fault[] = []): nock.Scope {
  return nock("https://api.github.com")
    .persist()
    .post("/graphql")
    .reply((_uri, body) => {
      const request = body as GraphqlRequest;
      for (const [i, fault] of faults.entries()) {
        const answer = fault(request);
        if (answer) {
          faults.splice(i, 1);
          return [answer.status, answer.body as nock.Body, answer.headers ?? {}];
        }
      }
      return [200, org.answer(request) as nock.Body];
    });
}

export function operationOf(request: GraphqlRequest): string {
  return /query\s+(\w+)/.exec(request.query)?.[1] ?? "";
}

/** An org of many threads by mentee-one, enough to page through searches and batches. */
export function busyOrg(count: number, timelineLength = 0): OrgThread[] {
  const ME = gqlUser(mentee);
  const M = gqlUser(mentor);
  return Array.from({ length: count }, (_, i) => {
    const minute = new Date(Date.parse("2026-06-16T00:00:00Z") + i * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      __typename: "Issue" as const,
      id: `I_busy${i}`,
      number: 1000 + i,
      repo: REPO,
      title: `Question ${i}`,
      createdAt: minute,
      updatedAt: minute,
      author: ME,
      labels: [],
      timeline: Array.from({ length: timelineLength }, (_, j) => ({
        __typename: "IssueComment" as const,
        id: `IC_busy${i}_${j}`,
        createdAt: new Date(Date.parse(minute) + (j + 1) * 1000).toISOString(),
        url: `https://github.com/${REPO}/issues/${1000 + i}#issuecomment-${j}`,
        author: j % 2 === 0 ? M : ME,
      })),
    };
  });
}
