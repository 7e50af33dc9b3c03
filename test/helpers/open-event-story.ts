import type { GqlTimelineItem } from "../../src/github/backfill.js";
import type { OrgThread } from "../../src/demo/standin-graphql.js";
import { gqlUser } from "./backfill-story.js";
import { type GhUser, setLabels, setOccurredAt, setRepo, setTitle } from "./payloads.js";
import { commentCreated, prAction, prOpened, reviewSubmitted } from "./scenario.js";

/**
 * An open program's pull requests told the two ways GitHub tells them: as the webhooks it sends while
 * things happen, and as the GraphQL backfill reads them afterwards, with the same node ids and instants.
 * Each PR follows one fate; `hours` is how long after the PR asked the maintainer first answers.
 *
 *   merged            the maintainer merges it
 *   label             the maintainer comments, and labels it accepted an hour later
 *   approved          the maintainer approves it; it stays open
 *   spam              the maintainer labels it spam and closes it
 *   invalid           the maintainer comments and labels it invalid in the same second; it stays open
 *   invalid+accepted  the maintainer merges it, and an hour later labels it invalid and accepted
 *   closed            the maintainer closes it unmerged
 *   open              nobody answers
 *   draft             opened as a draft and left so
 *   ready-later       opened as a draft, made ready a day later; the maintainer merges it `hours` after that
 *   changes           changes requested after `hours`; the author pushes 3 h later; approved 3 h after the
 *                     push and merged an hour after that
 */
export type Fate = "merged" | "label" | "approved" | "spam" | "invalid" | "invalid+accepted" | "closed" | "open" | "draft" | "ready-later" | "changes";

export interface EventPrSpec {
  repo: string;
  /** Unique across repositories: node ids derive from it. */
  number: number;
  author: GhUser;
  createdAt: string;
  fate: Fate;
  hours?: number;
  maintainer?: GhUser;
}

type Step =
  | { kind: "open"; at: string; draft: boolean }
  | { kind: "review"; at: string; by: GhUser; state: "approved" | "changes_requested"; id: number }
  | { kind: "merge" | "close" | "ready"; at: string; by: GhUser }
  | { kind: "label"; at: string; by: GhUser; label: string }
  | { kind: "comment"; at: string; by: GhUser; id: number }
  | { kind: "push"; at: string; by: GhUser; sha: string };

const HOUR = 3_600_000;
const plus = (at: string, hours: number) => new Date(Date.parse(at) + hours * HOUR).toISOString().replace(/\.\d{3}Z$/, "Z");

function stepsOf(pr: EventPrSpec, fallbackMaintainer: GhUser): Step[] {
  const by = pr.maintainer ?? fallbackMaintainer;
  const answer = plus(pr.createdAt, pr.hours ?? 0);
  const id = (k: number) => pr.number * 10 + k;
  const open: Step = { kind: "open", at: pr.createdAt, draft: pr.fate === "draft" || pr.fate === "ready-later" };
  switch (pr.fate) {
    case "merged":
      return [open, { kind: "merge", at: answer, by }];
    case "label":
      return [open, { kind: "comment", at: answer, by, id: id(1) }, { kind: "label", at: plus(answer, 1), by, label: "hacktoberfest-accepted" }];
    case "approved":
      return [open, { kind: "review", at: answer, by, state: "approved", id: id(1) }];
    case "spam":
      return [open, { kind: "label", at: answer, by, label: "spam" }, { kind: "close", at: answer, by }];
    case "invalid":
      return [open, { kind: "comment", at: answer, by, id: id(1) }, { kind: "label", at: answer, by, label: "invalid" }];
    case "invalid+accepted":
      return [
        open,
        { kind: "merge", at: answer, by },
        { kind: "label", at: plus(answer, 1), by, label: "invalid" },
        { kind: "label", at: plus(answer, 1.5), by, label: "hacktoberfest-accepted" },
      ];
    case "closed":
      return [open, { kind: "close", at: answer, by }];
    case "open":
    case "draft":
      return [open];
    case "ready-later": {
      const ready = plus(pr.createdAt, 24);
      return [open, { kind: "ready", at: ready, by: pr.author }, { kind: "merge", at: plus(ready, pr.hours ?? 0), by }];
    }
    case "changes": {
      const push = plus(answer, 3);
      return [
        open,
        { kind: "review", at: answer, by, state: "changes_requested", id: id(1) },
        { kind: "push", at: push, by: pr.author, sha: String(pr.number).padStart(40, "c") },
        { kind: "review", at: plus(push, 3), by, state: "approved", id: id(2) },
        { kind: "merge", at: plus(push, 4), by },
      ];
    }
  }
}

type Rec = Record<string, any>;
const titleOf = (pr: EventPrSpec) => `Contribution #${pr.number}`;

/** The webhook deliveries of every PR, each PR's in the order GitHub sent them, the PRs one after another. */
export function eventWebhooks(prs: EventPrSpec[], maintainer: (repo: string) => GhUser, installationId: number): Array<[string, Rec]> {
  return prs.flatMap((pr) => {
    const labels: string[] = [];
    return stepsOf(pr, maintainer(pr.repo)).map((step): [string, Rec] => {
      if (step.kind === "label") labels.push(step.label);
      const [name, payload] = webhookOf(pr, step);
      setRepo(payload, pr.repo);
      setTitle(payload, titleOf(pr));
      setLabels(payload, [...labels]);
      payload.installation = { id: installationId, node_id: "MDIz" };
      return [name, payload];
    });
  });
}

function webhookOf(pr: EventPrSpec, step: Step): [string, Rec] {
  switch (step.kind) {
    case "open":
      return ["pull_request", prOpened(pr.number, step.at, pr.author, { draft: step.draft })];
    case "review":
      return ["pull_request_review", reviewSubmitted(pr.number, step.id, step.at, step.by, pr.author, step.state)];
    case "merge":
    case "close":
      return ["pull_request", prAction("closed", pr.number, step.at, step.by, pr.author, { merged: step.kind === "merge" })];
    case "ready":
      return ["pull_request", prAction("ready_for_review", pr.number, step.at, step.by, pr.author)];
    case "push":
      return ["pull_request", prAction("synchronize", pr.number, step.at, step.by, pr.author, { after: step.sha })];
    case "comment":
      return ["issue_comment", commentCreated({ kind: "pr", number: pr.number, author: pr.author }, step.id, step.at, step.by)];
    case "label": {
      const p = prAction("edited", pr.number, step.at, step.by, pr.author);
      p.action = "labeled";
      p.label = { id: 1, node_id: "LA_1", name: step.label, color: "ededed", default: false, description: null, url: "" };
      return ["pull_request", setOccurredAt(p, step.at)];
    }
  }
}

/** The same PRs as GitHub's GraphQL API shows them afterwards. */
export function eventThreads(prs: EventPrSpec[], maintainer: (repo: string) => GhUser): OrgThread[] {
  return prs.map((pr) => {
    const steps = stepsOf(pr, maintainer(pr.repo));
    const url = `https://github.com/${pr.repo}/pull/${pr.number}`;
    const labels = steps.flatMap((s) => (s.kind === "label" ? [s.label] : []));
    const draft = pr.fate === "draft";
    return {
      __typename: "PullRequest" as const,
      id: `PR_test${pr.number}`,
      number: pr.number,
      repo: pr.repo,
      title: titleOf(pr),
      createdAt: pr.createdAt,
      updatedAt: steps[steps.length - 1]!.at,
      author: gqlUser(pr.author),
      labels,
      body: "",
      isDraft: draft,
      timeline: steps.flatMap((s) => timelineOf(s, url)),
    };
  });
}

function timelineOf(step: Step, url: string): GqlTimelineItem[] {
  switch (step.kind) {
    case "open":
      return [];
    case "review":
      return [
        {
          __typename: "PullRequestReview",
          id: `PRR_test${step.id}`,
          databaseId: step.id,
          state: step.state.toUpperCase(),
          submittedAt: step.at,
          url: `${url}#pullrequestreview-${step.id}`,
          author: gqlUser(step.by),
        },
      ];
    case "merge":
      return [
        { __typename: "MergedEvent", createdAt: step.at, actor: gqlUser(step.by) },
        { __typename: "ClosedEvent", createdAt: step.at, actor: gqlUser(step.by), stateReason: null },
      ];
    case "close":
      return [{ __typename: "ClosedEvent", createdAt: step.at, actor: gqlUser(step.by), stateReason: null }];
    case "ready":
      return [{ __typename: "ReadyForReviewEvent", createdAt: step.at, actor: gqlUser(step.by) }];
    case "push":
      return [{ __typename: "PullRequestCommit", commit: { oid: step.sha, committedDate: step.at, author: { user: gqlUser(step.by) } } }];
    case "comment":
      return [{ __typename: "IssueComment", id: `IC_test${step.id}`, databaseId: step.id, createdAt: step.at, url: `${url}#issuecomment-${step.id}`, author: gqlUser(step.by), body: "Thanks, looking into it" }];
    case "label":
      return [{ __typename: "LabeledEvent", createdAt: step.at, actor: gqlUser(step.by), label: { name: step.label } }];
  }
}
