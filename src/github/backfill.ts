import type { Octokit } from "./octokit.js";

/**
 * The backfill's GraphQL queries and their response shapes. Everything variable goes through
 * `variables`, so the query text is fixed and the stand-in GitHub can answer by operation name.
 *
 * Review comments are not fetched: GitHub prices a nested connection as if every timeline item
 * were a review with a full page of comments (25 threads would cost ~25 points instead of 1), and
 * the review that carries them is itself the mentor's response.
 *
 * Never send `X-Github-Next-Global-ID`: webhooks hand out whichever node id format an object was
 * created with, and so does GraphQL without that header, so dedupe keys match across both paths.
 */

/** Actor as GraphQL gives it; `null` for a deleted account ("ghost"). */
export type GqlActor = { __typename: string; login: string; databaseId?: number | null } | null;

export interface GqlRateLimit {
  cost: number;
  remaining: number;
  resetAt: string;
}

export interface GqlPageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export type GqlTimelineItem =
  | { __typename: "IssueComment"; id: string; databaseId?: number | null; createdAt: string; url: string; author: GqlActor; body?: string }
  | { __typename: "ClosedEvent"; createdAt: string; actor: GqlActor; stateReason?: string | null }
  | { __typename: "ReopenedEvent" | "ReadyForReviewEvent" | "ConvertToDraftEvent" | "MergedEvent"; createdAt: string; actor: GqlActor }
  | { __typename: "LabeledEvent" | "UnlabeledEvent"; createdAt: string; actor: GqlActor; label: { name: string } }
  | { __typename: "AssignedEvent" | "UnassignedEvent"; createdAt: string; actor: GqlActor; assignee: GqlActor }
  | { __typename: "MilestonedEvent" | "DemilestonedEvent"; createdAt: string; actor: GqlActor; milestoneTitle: string }
  | {
      __typename: "ReviewRequestedEvent";
      createdAt: string;
      actor: GqlActor;
      requestedReviewer: { __typename: string; login?: string; databaseId?: number | null } | null;
    }
  | {
      __typename: "PullRequestReview";
      id: string;
      databaseId?: number | null;
      state: string;
      submittedAt: string | null;
      url: string;
      author: GqlActor;
    }
  | { __typename: "ReviewDismissedEvent"; createdAt: string; actor: GqlActor; previousReviewState: string; review: { id: string } | null }
  | {
      __typename: "PullRequestCommit";
      commit: { oid: string; committedDate: string; author: { user: GqlActor } | null };
    }
  | { __typename: "HeadRefForcePushedEvent"; createdAt: string; actor: GqlActor; afterCommit: { oid: string } | null };

export interface GqlTimeline {
  pageInfo: GqlPageInfo;
  nodes: Array<GqlTimelineItem | null>;
}

export interface GqlThread {
  __typename: "Issue" | "PullRequest";
  id: string;
  number: number;
  title: string;
  url: string;
  createdAt: string;
  author: GqlActor;
  repository: { nameWithOwner: string };
  labels: { nodes: Array<{ name: string }> } | null;
  /** Pull requests only. */
  body?: string;
  isDraft?: boolean;
  timelineItems: GqlTimeline;
}

export interface SearchHit {
  id: string;
  repo: string;
  number: number;
}

export interface SearchPage {
  issueCount: number;
  hits: SearchHit[];
  pageInfo: GqlPageInfo;
  rateLimit: GqlRateLimit | null;
}

const ACTOR = `__typename login ... on User { databaseId } ... on Bot { databaseId } ... on Mannequin { databaseId }`;

const ISSUE_ITEMS = `ISSUE_COMMENT, CLOSED_EVENT, REOPENED_EVENT, LABELED_EVENT, UNLABELED_EVENT, ASSIGNED_EVENT,
  UNASSIGNED_EVENT, MILESTONED_EVENT, DEMILESTONED_EVENT`;
const PR_ITEMS = `ISSUE_COMMENT, CLOSED_EVENT, REOPENED_EVENT, LABELED_EVENT, UNLABELED_EVENT, ASSIGNED_EVENT, READY_FOR_REVIEW_EVENT,
  CONVERT_TO_DRAFT_EVENT, REVIEW_REQUESTED_EVENT, PULL_REQUEST_REVIEW, REVIEW_DISMISSED_EVENT, PULL_REQUEST_COMMIT,
  HEAD_REF_FORCE_PUSHED_EVENT, MERGED_EVENT`;

const TIMELINE_ITEM = `
  __typename
  ... on IssueComment { id databaseId createdAt url body author { ${ACTOR} } }
  ... on ClosedEvent { createdAt actor { ${ACTOR} } stateReason }
  ... on ReopenedEvent { createdAt actor { ${ACTOR} } }
  ... on LabeledEvent { createdAt actor { ${ACTOR} } label { name } }
  ... on UnlabeledEvent { createdAt actor { ${ACTOR} } label { name } }
  ... on AssignedEvent { createdAt actor { ${ACTOR} } assignee { ${ACTOR} } }
  ... on UnassignedEvent { createdAt actor { ${ACTOR} } assignee { ${ACTOR} } }
  ... on MilestonedEvent { createdAt actor { ${ACTOR} } milestoneTitle }
  ... on DemilestonedEvent { createdAt actor { ${ACTOR} } milestoneTitle }
  ... on ReadyForReviewEvent { createdAt actor { ${ACTOR} } }
  ... on ConvertToDraftEvent { createdAt actor { ${ACTOR} } }
  ... on MergedEvent { createdAt actor { ${ACTOR} } }
  ... on ReviewRequestedEvent {
    createdAt actor { ${ACTOR} }
    requestedReviewer { __typename ... on User { login databaseId } ... on Bot { login databaseId } ... on Team { databaseId } }
  }
  ... on PullRequestReview { id databaseId state submittedAt url author { ${ACTOR} } }
  ... on ReviewDismissedEvent { createdAt actor { ${ACTOR} } previousReviewState review { id } }
  ... on PullRequestCommit { commit { oid committedDate author { user { ${ACTOR} } } } }
  ... on HeadRefForcePushedEvent { createdAt actor { ${ACTOR} } afterCommit { oid } }`;

const PAGE = `pageInfo { hasNextPage endCursor } nodes { ${TIMELINE_ITEM} }`;
const THREAD = `id number title url createdAt author { ${ACTOR} } repository { nameWithOwner } labels(first: 50) { nodes { name } }`;

export const SEARCH_QUERY = `query BackfillSearch($q: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  search(query: $q, type: ISSUE, first: $first, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename
      ... on Issue { id number repository { nameWithOwner } }
      ... on PullRequest { id number repository { nameWithOwner } }
    }
  }
}`;

export const THREADS_QUERY = `query BackfillThreads($ids: [ID!]!, $first: Int!) {
  rateLimit { cost remaining resetAt }
  nodes(ids: $ids) {
    __typename
    ... on Issue { ${THREAD} timelineItems(first: $first, itemTypes: [${ISSUE_ITEMS}]) { ${PAGE} } }
    ... on PullRequest { ${THREAD} body isDraft timelineItems(first: $first, itemTypes: [${PR_ITEMS}]) { ${PAGE} } }
  }
}`;

export const TIMELINE_QUERY = `query BackfillTimeline($id: ID!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt }
  node(id: $id) {
    __typename
    ... on Issue { timelineItems(first: $first, after: $after, itemTypes: [${ISSUE_ITEMS}]) { ${PAGE} } }
    ... on PullRequest { timelineItems(first: $first, after: $after, itemTypes: [${PR_ITEMS}]) { ${PAGE} } }
  }
}`;

/**
 * Our own back-off decides what happens on a 502/504 (a smaller page, the same cursor), so the
 * retry plugin must not resend the same too-large query first.
 */
const NO_PLUGIN_RETRY = { request: { retries: 0 } };

export async function searchThreads(octokit: Octokit, q: string, first: number, after: string | null): Promise<SearchPage> {
  const data = await octokit.graphql<{
    rateLimit: GqlRateLimit | null;
    search: { issueCount: number; pageInfo: GqlPageInfo; nodes: Array<{ __typename: string; id?: string; number?: number; repository?: { nameWithOwner: string } } | null> };
  }>(SEARCH_QUERY, { q, first, after, ...NO_PLUGIN_RETRY });
  const hits = data.search.nodes.flatMap((n) =>
    n && (n.__typename === "Issue" || n.__typename === "PullRequest") && n.id && n.number && n.repository
      ? [{ id: n.id, number: n.number, repo: n.repository.nameWithOwner.toLowerCase() }]
      : [],
  );
  return { issueCount: data.search.issueCount, hits, pageInfo: data.search.pageInfo, rateLimit: data.rateLimit };
}

/** Threads with the first page of their timelines; ids GitHub no longer knows come back as null. */
export async function fetchThreads(
  octokit: Octokit,
  ids: string[],
  timelinePageSize: number,
): Promise<{ threads: Array<GqlThread | null>; rateLimit: GqlRateLimit | null }> {
  try {
    const data = await octokit.graphql<{ rateLimit: GqlRateLimit | null; nodes: Array<GqlThread | null> }>(THREADS_QUERY, {
      ids,
      first: timelinePageSize,
      ...NO_PLUGIN_RETRY,
    });
    return { threads: data.nodes.map(keepThread), rateLimit: data.rateLimit };
  } catch (error) {
    // A deleted issue fails only its own node (NOT_FOUND) and the rest of the batch still arrives.
    const partial = partialData<{ rateLimit: GqlRateLimit | null; nodes: Array<GqlThread | null> }>(error);
    if (partial && Array.isArray(partial.nodes) && onlyNotFound(error)) {
      return { threads: partial.nodes.map(keepThread), rateLimit: partial.rateLimit };
    }
    throw error;
  }
}

export async function fetchTimelinePage(
  octokit: Octokit,
  id: string,
  first: number,
  after: string | null,
): Promise<{ timeline: GqlTimeline | null; rateLimit: GqlRateLimit | null }> {
  const data = await octokit.graphql<{ rateLimit: GqlRateLimit | null; node: { timelineItems?: GqlTimeline } | null }>(TIMELINE_QUERY, {
    id,
    first,
    after,
    ...NO_PLUGIN_RETRY,
  });
  return { timeline: data.node?.timelineItems ?? null, rateLimit: data.rateLimit };
}

function keepThread(node: GqlThread | null): GqlThread | null {
  return node && (node.__typename === "Issue" || node.__typename === "PullRequest") ? node : null;
}

function partialData<T>(error: unknown): T | undefined {
  return typeof error === "object" && error !== null && "data" in error ? ((error as { data: T }).data ?? undefined) : undefined;
}

function onlyNotFound(error: unknown): boolean {
  const errors = (error as { errors?: Array<{ type?: string }> }).errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.type === "NOT_FOUND");
}

/** How the backfill reacts to a failed call: wait for the quota, shrink the page, or give up (job retry). */
export type ApiFailure = { kind: "rate-limited"; resumeAt: Date } | { kind: "too-large" } | { kind: "other" };

/**
 * GitHub signals an exhausted GraphQL quota as a `RATE_LIMITED` error (HTTP 200 or 403) and a
 * secondary limit as 403/429 with `retry-after`; an expensive query times out as 502/504.
 */
export function classifyApiFailure(error: unknown, now: Date): ApiFailure {
  const e = error as { status?: number; headers?: Record<string, string>; response?: { headers?: Record<string, string> }; errors?: Array<{ type?: string }> };
  const headers = e.headers ?? e.response?.headers ?? {};
  const rateLimited = (Array.isArray(e.errors) && e.errors.some((x) => x.type === "RATE_LIMITED")) || headers["x-ratelimit-remaining"] === "0";
  const retryAfter = Number(headers["retry-after"]);
  if (rateLimited || ((e.status === 403 || e.status === 429) && Number.isFinite(retryAfter))) {
    const reset = Number(headers["x-ratelimit-reset"]);
    const resumeAt = Number.isFinite(retryAfter) && retryAfter > 0
      ? new Date(now.getTime() + retryAfter * 1000)
      : Number.isFinite(reset) && reset > 0
        ? new Date(reset * 1000)
        : new Date(now.getTime() + 60_000);
    return { kind: "rate-limited", resumeAt: resumeAt.getTime() > now.getTime() ? resumeAt : new Date(now.getTime() + 1000) };
  }
  if (e.status === 502 || e.status === 504) return { kind: "too-large" };
  return { kind: "other" };
}
