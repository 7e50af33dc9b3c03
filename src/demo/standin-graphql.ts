import type { GqlActor, GqlThread, GqlTimelineItem } from "../github/backfill.js";

/**
 * A stand-in for GitHub's GraphQL API over an in-memory org, answering the backfill's three
 * queries (by operation name) the way GitHub does: search qualifiers, the 1,000-result cap,
 * opaque cursors, `nodes(ids:)` with null for unknown ids, and a `rateLimit` block. Tests mount
 * it behind nock; the benchmark behind a local HTTP server.
 */

export interface OrgThread {
  __typename: "Issue" | "PullRequest";
  id: string;
  number: number;
  /** `owner/name` */
  repo: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  author: GqlActor;
  labels: string[];
  body?: string;
  isDraft?: boolean;
  timeline: GqlTimelineItem[];
}

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
}

export interface GraphqlCounts {
  requests: number;
  points: number;
  byOperation: Record<string, number>;
}

const CAP = 1000;

export class StandinOrg {
  readonly counts: GraphqlCounts = { requests: 0, points: 0, byOperation: {} };
  private readonly byId = new Map<string, OrgThread>();
  private remaining = 5000;

  constructor(
    readonly threads: OrgThread[],
    private readonly options: { host?: string; resetAt?: string } = {},
  ) {
    for (const t of threads) this.byId.set(t.id, t);
  }

  /** The JSON body GitHub would answer with (HTTP 200). */
  answer(request: GraphqlRequest): { data: Record<string, unknown> } | { errors: Array<{ message: string }> } {
    const operation = /query\s+(\w+)/.exec(request.query)?.[1] ?? "anonymous";
    const v = request.variables ?? {};
    this.counts.requests += 1;
    this.counts.byOperation[operation] = (this.counts.byOperation[operation] ?? 0) + 1;
    switch (operation) {
      case "BackfillSearch":
        return { data: { rateLimit: this.charge(1), search: this.search(String(v.q), Number(v.first), (v.after as string | null) ?? null) } };
      case "BackfillThreads": {
        const ids = v.ids as string[];
        const first = Number(v.first);
        // GitHub prices a query by the requests its connections could need: one per node's timeline and labels.
        const cost = Math.max(1, Math.round((1 + 2 * ids.length) / 100));
        return { data: { rateLimit: this.charge(cost), nodes: ids.map((id) => this.thread(id, first)) } };
      }
      case "BackfillTimeline": {
        const t = this.byId.get(String(v.id));
        const timelineItems = t ? page(t.timeline, Number(v.first), (v.after as string | null) ?? null) : null;
        return { data: { rateLimit: this.charge(1), node: t ? { __typename: t.__typename, timelineItems } : null } };
      }
      default:
        return { errors: [{ message: `stand-in GraphQL: no answer for ${operation}` }] };
    }
  }

  private charge(cost: number) {
    this.counts.points += cost;
    this.remaining = Math.max(0, this.remaining - cost);
    return { cost, remaining: this.remaining, resetAt: this.options.resetAt ?? "2099-01-01T00:00:00Z" };
  }

  private thread(id: string, first: number): GqlThread | null {
    const t = this.byId.get(id);
    if (!t) return null;
    const kind = t.__typename === "PullRequest" ? "pull" : "issues";
    return {
      __typename: t.__typename,
      id: t.id,
      number: t.number,
      title: t.title,
      url: `https://${this.options.host ?? "github.com"}/${t.repo}/${kind}/${t.number}`,
      createdAt: t.createdAt,
      author: t.author,
      repository: { nameWithOwner: t.repo },
      labels: { nodes: t.labels.map((name) => ({ name })) },
      ...(t.__typename === "PullRequest" ? { body: t.body ?? "", isDraft: t.isDraft ?? false } : {}),
      timelineItems: page(t.timeline, first, null),
    };
  }

  private search(q: string, first: number, after: string | null) {
    const matches = this.threads.filter((t) => matchesQuery(t, q)).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
    const reachable = matches.slice(0, CAP);
    const start = after ? Number(Buffer.from(after, "base64").toString().replace("cursor:", "")) : 0;
    const nodes = reachable.slice(start, start + first);
    const end = start + nodes.length;
    return {
      issueCount: matches.length,
      pageInfo: { hasNextPage: end < reachable.length, endCursor: nodes.length ? cursor(end) : after },
      nodes: nodes.map((t) => ({ __typename: t.__typename, id: t.id, number: t.number, repository: { nameWithOwner: t.repo } })),
    };
  }
}

function cursor(offset: number): string {
  return Buffer.from(`cursor:${offset}`).toString("base64");
}

function page(items: GqlTimelineItem[], first: number, after: string | null) {
  const start = after ? Number(Buffer.from(after, "base64").toString().replace("cursor:", "")) : 0;
  const nodes = items.slice(start, start + first);
  const end = start + nodes.length;
  return { pageInfo: { hasNextPage: end < items.length, endCursor: nodes.length ? cursor(end) : after }, nodes };
}

/** The qualifiers the backfill sends: org/user/repo, involves, reviewed-by, label, is:pr, created and updated ranges. */
export function matchesQuery(t: OrgThread, q: string): boolean {
  const terms = q.match(/[\w-]+:(?:"[^"]*"|\S+)/g) ?? [];
  return terms.every((term) => {
    const i = term.indexOf(":");
    const key = term.slice(0, i);
    const value = term.slice(i + 1).replace(/^"|"$/g, "");
    switch (key) {
      case "org":
      case "user":
        return t.repo.split("/")[0]!.toLowerCase() === value.toLowerCase();
      case "repo":
        return t.repo.toLowerCase() === value.toLowerCase();
      case "involves":
        return involved(t).has(value.toLowerCase());
      case "reviewed-by":
        return t.timeline.some((i) => i.__typename === "PullRequestReview" && i.author?.login.toLowerCase() === value.toLowerCase());
      case "label":
        return t.labels.some((l) => l.toLowerCase() === value.toLowerCase());
      case "updated":
        return inRange(t.updatedAt, value);
      case "created":
        return inRange(t.createdAt, value);
      case "is":
        return value === (t.__typename === "PullRequest" ? "pr" : "issue");
      case "sort":
        return true;
      default:
        return false;
    }
  });
}

function involved(t: OrgThread): Set<string> {
  const logins = new Set<string>();
  const add = (a: GqlActor | undefined) => a && logins.add(a.login.toLowerCase());
  add(t.author);
  for (const item of t.timeline) {
    if (item.__typename === "IssueComment") add(item.author);
    if (item.__typename === "AssignedEvent") add(item.assignee);
  }
  return logins;
}

function inRange(at: string, range: string): boolean {
  const t = Date.parse(at);
  if (range.startsWith(">=")) return t >= Date.parse(range.slice(2));
  const [from, to] = range.split("..");
  return t >= Date.parse(from!) && t <= Date.parse(to!);
}
