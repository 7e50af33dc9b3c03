/**
 * Real webhook payloads from @octokit/webhooks-examples, adjusted for test scenarios.
 *
 *   const p = examplePayload("issue_comment", "created");   // a deep clone: mutate freely
 *   setActor(p, ghUser("neoandmatrix"));                    // sender + comment author
 *   setThreadAuthor(p, ghUser("neoandmatrix"));
 *   setOccurredAt(p, "2026-06-16T09:00:00Z");               // whatever field the normaliser reads
 *   await probot.receive(delivery("issue_comment", p));
 *
 * Setters mutate the payload they are given and return it, so they chain or nest. The examples all come
 * from Codertocat/Hello-World (issue #1, PR #2) in 2019; use `setRepo`/`setNumber` for roster repos.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Context, Probot } from "probot";

export type WebhookName = Context["name"];
/** The payload type Probot gives a handler of `name` (`"issues"`) or `name.action` (`"issues.opened"`). */
export type PayloadOf<E extends WebhookName> = Context<E>["payload"];
export type ExamplePayload<N extends string, A extends string> = [A] extends [never]
  ? N extends WebhookName
    ? PayloadOf<N>
    : Record<string, any>
  : `${N}.${A}` extends WebhookName
    ? PayloadOf<`${N}.${A}`>
    : N extends WebhookName
      ? PayloadOf<N>
      : Record<string, any>;

type Rec = Record<string, any>;

interface Definition {
  name: string;
  actions: string[];
  examples: Rec[];
}

let definitions: Map<string, Definition> | undefined;

function loadDefinitions(): Map<string, Definition> {
  if (definitions) return definitions;
  // Read, not `import … with { type: "json" }`: the file is 4 MB, and typing it would slow every tsc run.
  const file = createRequire(import.meta.url).resolve("@octokit/webhooks-examples/api.github.com/index.json");
  const list = JSON.parse(readFileSync(file, "utf8")) as Definition[];
  definitions = new Map(list.map((d) => [d.name, d]));
  return definitions;
}

/**
 * Deep clones of every example of `name` (and `action`, when given). Empty when the package has none.
 * `issues.closed` has no example upstream: it is derived from `issues.reopened` (closed as completed).
 */
export function examplePayloads<N extends string, A extends string = never>(name: N, action?: A): ExamplePayload<N, A>[] {
  const definition = loadDefinitions().get(name);
  if (!definition) return [];
  const found = definition.examples.filter((e) => action === undefined || e.action === action).map((e) => structuredClone(e));
  if (found.length === 0 && name === "issues" && action === "closed") return examplePayloads("issues", "reopened").map(closeIssue) as any[];
  return found as any[];
}

/** A deep clone of the `index`-th example of `name.action` (the first by default); throws when there is none. */
export function examplePayload<N extends string, A extends string = never>(name: N, action?: A, index = 0): ExamplePayload<N, A> {
  const all = examplePayloads(name, action);
  const chosen = all[index];
  if (chosen === undefined) {
    const known = loadDefinitions().get(name);
    const available = known ? [...new Set(known.examples.map((e) => e.action))].join(", ") : "no such event";
    throw new Error(`no example payload for ${name}${action ? `.${action}` : ""} #${index} (available: ${available})`);
  }
  return chosen;
}

function closeIssue(p: Rec): Rec {
  p.action = "closed";
  p.issue.state = "closed";
  p.issue.state_reason = "completed";
  p.issue.closed_at = p.issue.updated_at;
  return p;
}

/** What `probot.receive` takes; a fresh delivery GUID unless you pass one (e.g. to test redelivery). */
export function delivery<N extends WebhookName>(name: N, payload: object, id: string = randomUUID()): Parameters<Probot["receive"]>[0] {
  return { id, name, payload } as unknown as Parameters<Probot["receive"]>[0];
}

// ---------------------------------------------------------------------------------------------------
// People

export type GhUser = Rec & { login: string; id: number; type: "User" | "Bot" | "Organization" };

/** A stable fake id per login, so tests and mocked user lookups agree without bookkeeping. */
export function idForLogin(login: string): number {
  return 1_000_000 + (createHash("sha256").update(login.toLowerCase()).digest().readUInt32BE(0) % 9_000_000);
}

/** A full REST user object (all the URL fields Probot's types expect), shaped like the examples' `sender`. */
export function ghUser(login: string, options: { id?: number; type?: "User" | "Bot" | "Organization" } = {}): GhUser {
  const id = options.id ?? idForLogin(login);
  const base = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: `U_test${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: base,
    html_url: `https://github.com/${login}`,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: options.type ?? "User",
    user_view_type: "public",
    site_admin: false,
  };
}

/** A GitHub App's bot user: `ghBot("dependabot")` is `dependabot[bot]`, type Bot. */
export function ghBot(name: string, options: { id?: number } = {}): GhUser {
  return ghUser(name.endsWith("[bot]") ? name : `${name}[bot]`, { ...options, type: "Bot" });
}

function rec(p: object): Rec {
  return p as Rec;
}

/** Who GitHub says triggered the delivery. */
export function setSender<P extends object>(p: P, user: GhUser): P {
  rec(p).sender = structuredClone(user);
  return p;
}

/**
 * The person the normaliser treats as acting: the sender, and also the comment's or review's author when
 * the payload has one (those are what the normaliser reads for comments and submitted reviews).
 */
export function setActor<P extends object>(p: P, user: GhUser): P {
  const r = rec(p);
  setSender(p, user);
  if (r.comment) r.comment.user = structuredClone(user);
  if (r.review) r.review.user = structuredClone(user);
  return p;
}

/** Author of the issue or PR the event happened on. */
export function setThreadAuthor<P extends object>(p: P, user: GhUser): P {
  const r = rec(p);
  if (r.issue) r.issue.user = structuredClone(user);
  if (r.pull_request) r.pull_request.user = structuredClone(user);
  return p;
}

// ---------------------------------------------------------------------------------------------------
// Where

/** Moves the payload to `owner/name`: repository fields and every URL that named the old repository. */
export function setRepo<P extends object>(p: P, fullName: string): P {
  const r = rec(p);
  const old = r.repository?.full_name as string | undefined;
  const [owner, name] = fullName.split("/");
  if (!owner || !name) throw new Error(`setRepo: "${fullName}" is not owner/name`);
  if (old) replaceInStrings(p, old, fullName);
  if (r.repository) {
    r.repository.full_name = fullName;
    r.repository.name = name;
    if (r.repository.owner) r.repository.owner.login = owner;
  }
  return p;
}

/** Renumbers the issue/PR (and its URLs). */
export function setNumber<P extends object>(p: P, n: number): P {
  const r = rec(p);
  for (const thread of [r.issue, r.pull_request]) {
    if (!thread) continue;
    const old = thread.number as number;
    replaceInStrings(thread, `/issues/${old}`, `/issues/${n}`);
    replaceInStrings(thread, `/pull/${old}`, `/pull/${n}`);
    replaceInStrings(thread, `/pulls/${old}`, `/pulls/${n}`);
    thread.number = n;
  }
  if (typeof r.number === "number") r.number = n;
  return p;
}

/** Replaces `from` in every string under `root` where it is followed by a path end (`/`, `#`, `?` or nothing). */
function replaceInStrings(root: unknown, from: string, to: string): void {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`${escaped}(?=$|[/#?{])`, "g");
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return value.replace(pattern, to);
    if (Array.isArray(value)) {
      value.forEach((v, i) => (value[i] = walk(v)));
      return value;
    }
    if (value && typeof value === "object") {
      const r = value as Rec;
      for (const k of Object.keys(r)) r[k] = walk(r[k]);
    }
    return value;
  };
  walk(root);
}

/** Turns an `issue_comment` payload's issue into a PR's conversation (GitHub marks it with `issue.pull_request`). */
export function onPullRequest<P extends object>(p: P): P {
  const issue = rec(p).issue;
  if (!issue) throw new Error("onPullRequest: payload has no issue");
  const html = String(issue.html_url).replace(/\/issues\/(\d+)/, "/pull/$1");
  issue.html_url = html;
  issue.pull_request = {
    url: String(issue.url).replace(/\/issues\/(\d+)$/, "/pulls/$1"),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    merged_at: null,
  };
  if (rec(p).comment?.html_url) rec(p).comment.html_url = String(rec(p).comment.html_url).replace(/\/issues\/(\d+)/, "/pull/$1");
  return p;
}

// ---------------------------------------------------------------------------------------------------
// What

/** Current label names of the issue/PR. */
export function setLabels<P extends object>(p: P, names: string[]): P {
  const r = rec(p);
  const thread = r.issue ?? r.pull_request;
  if (!thread) throw new Error("setLabels: payload has no issue or pull_request");
  thread.labels = names.map((name, i) => ({
    id: 9_000 + i,
    node_id: `LA_test${i}`,
    url: `${r.repository?.url ?? ""}/labels/${encodeURIComponent(name)}`,
    name,
    color: "ededed",
    default: false,
    description: null,
  }));
  if (r.label) Object.assign(r.label, thread.labels.find((l: Rec) => l.name === r.label.name) ?? {});
  return p;
}

/** The label a `labeled`/`unlabeled` payload is about (does not change the thread's current labels). */
export function setEventLabel<P extends object>(p: P, name: string): P {
  const r = rec(p);
  r.label = { ...(r.label ?? {}), name };
  return p;
}

export function setTitle<P extends object>(p: P, title: string): P {
  const r = rec(p);
  for (const thread of [r.issue, r.pull_request]) if (thread) thread.title = title;
  return p;
}

/** Issue/PR description: PRs' closing keywords (`Fixes #12`) live here. */
export function setBody<P extends object>(p: P, body: string | null): P {
  const r = rec(p);
  for (const thread of [r.issue, r.pull_request]) if (thread) thread.body = body;
  return p;
}

export function setDraft<P extends object>(p: P, draft: boolean): P {
  const pr = rec(p).pull_request;
  if (!pr) throw new Error("setDraft: payload has no pull_request");
  pr.draft = draft;
  return p;
}

/** Makes a `pull_request.closed` payload a merge at `at` (by `by`, default the sender). */
export function setMerged<P extends object>(p: P, at: string, by?: GhUser): P {
  const r = rec(p);
  const pr = r.pull_request;
  if (!pr) throw new Error("setMerged: payload has no pull_request");
  Object.assign(pr, { state: "closed", merged: true, merged_at: at, closed_at: at, updated_at: at });
  pr.merged_by = structuredClone(by ?? r.sender);
  return p;
}

/** Gives the comment another identity (a different comment by GitHub's reckoning). */
export function setCommentId<P extends object>(p: P, commentId: number): P {
  const comment = rec(p).comment;
  if (!comment) throw new Error("setCommentId: payload has no comment");
  const old = comment.id as number;
  replaceInStrings(comment, String(old), String(commentId));
  comment.id = commentId;
  comment.node_id = `IC_test${commentId}`;
  return p;
}

/** Gives the review another identity. */
export function setReviewId<P extends object>(p: P, reviewId: number): P {
  const review = rec(p).review;
  if (!review) throw new Error("setReviewId: payload has no review");
  replaceInStrings(review, `pullrequestreview-${review.id}`, `pullrequestreview-${reviewId}`);
  review.id = reviewId;
  review.node_id = `PRR_test${reviewId}`;
  return p;
}

/** A `pull_request_review` payload's state (`approved`, `changes_requested`, `commented`, `dismissed`). */
export function setReviewState<P extends object>(p: P, state: string): P {
  const review = rec(p).review;
  if (!review) throw new Error("setReviewState: payload has no review");
  review.state = state;
  return p;
}

/** Makes a `pull_request.review_requested` payload ask a team instead of a user. */
export function setRequestedTeam<P extends object>(p: P, slug: string, teamId = 4_000 + slug.length): P {
  const r = rec(p);
  delete r.requested_reviewer;
  const org = r.repository?.owner?.login ?? "octo-org";
  r.requested_team = {
    name: slug,
    id: teamId,
    node_id: `T_test${teamId}`,
    slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    url: `https://api.github.com/organizations/1/team/${teamId}`,
    html_url: `https://github.com/orgs/${org}/teams/${slug}`,
    members_url: `https://api.github.com/organizations/1/team/${teamId}/members{/member}`,
    repositories_url: `https://api.github.com/organizations/1/team/${teamId}/repos`,
    permission: "pull",
    parent: null,
  };
  return p;
}

// ---------------------------------------------------------------------------------------------------
// When

/**
 * Sets the instant the normaliser reads as `occurredAt` for this payload's action (see normalise.ts),
 * keeping the payload plausible: an `opened` thread is created then, a `closed` one closed then, a new
 * comment created then, and so on. Identify payloads by shape, so it works for every supported event.
 */
export function setOccurredAt<P extends object>(p: P, at: string): P {
  const r = rec(p);
  const action = r.action as string;
  if (r.review) {
    if (action === "submitted") r.review.submitted_at = at;
    else if (r.pull_request) r.pull_request.updated_at = at;
    return p;
  }
  if (r.comment) {
    if (action === "created") r.comment.created_at = at;
    r.comment.updated_at = at;
    return p;
  }
  const thread = r.pull_request ?? r.issue;
  if (!thread) throw new Error("setOccurredAt: payload has no issue, pull_request, comment or review");
  thread.updated_at = at;
  if (action === "opened") thread.created_at = at;
  if (action === "closed") {
    thread.closed_at = at;
    if (thread.merged || thread.merged_at) thread.merged_at = at;
  }
  return p;
}

/** Raw timestamps of the issue/PR, for scenarios that need them apart from `setOccurredAt`. */
export function setThreadTimes<P extends object>(
  p: P,
  times: { createdAt?: string; updatedAt?: string; closedAt?: string | null; mergedAt?: string | null },
): P {
  const r = rec(p);
  for (const thread of [r.issue, r.pull_request]) {
    if (!thread) continue;
    if (times.createdAt !== undefined) thread.created_at = times.createdAt;
    if (times.updatedAt !== undefined) thread.updated_at = times.updatedAt;
    if (times.closedAt !== undefined) thread.closed_at = times.closedAt;
    if (times.mergedAt !== undefined && r.pull_request === thread) thread.merged_at = times.mergedAt;
  }
  return p;
}
