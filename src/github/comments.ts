/**
 * The GitHub calls behind the comments the app writes. Each takes the installation Octokit from
 * `installationOctokit`, so under DRY_RUN the writes here become log lines and nothing else changes.
 *
 * Errors are not caught: a 403/429 (rate limits, a revoked permission) must reach the job, which
 * throws, so graphile-worker retries it later with back-off instead of anything here looping.
 */
import type { AppDeps } from "../deps.js";
import type { Octokit } from "./octokit.js";

export interface IssueRef {
  /** `owner/name` */
  repo: string;
  number: number;
}

/** What the app reads of a comment: enough to recognise its own and compare bodies. */
export interface IssueComment {
  id: number;
  body: string;
  author: { login: string; type: string } | null;
  /** `https://api.github.com/repos/o/r/issues/12`: which issue a comment fetched by id belongs to. */
  issueUrl: string;
}

/** The app's own GitHub identity as it appears on its comments. */
export interface AppIdentity {
  slug: string;
  /** `${slug}[bot]` */
  botLogin: string;
}

export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name, ...rest] = repo.split("/");
  if (!owner || !name || rest.length > 0) throw new TypeError(`not an owner/name repository: ${JSON.stringify(repo)}`);
  return { owner, repo: name };
}

type RawComment = { id: number; body?: string | null; user?: { login: string; type: string } | null; issue_url: string };

function toComment(raw: RawComment): IssueComment {
  return {
    id: raw.id,
    body: raw.body ?? "",
    author: raw.user ? { login: raw.user.login, type: raw.user.type } : null,
    issueUrl: raw.issue_url,
  };
}

/** Every comment of an issue, oldest first, following GitHub's Link headers through every page. */
export async function listIssueComments(octokit: Octokit, issue: IssueRef): Promise<IssueComment[]> {
  const raw = await octokit.paginate(octokit.rest.issues.listComments, {
    ...splitRepo(issue.repo),
    issue_number: issue.number,
    per_page: 100,
  });
  return (raw as RawComment[]).map(toComment);
}

/** One comment by id; null when it is gone (deleted by a human, or its issue was transferred away). */
export async function getIssueComment(octokit: Octokit, repo: string, commentId: number): Promise<IssueComment | null> {
  try {
    const { data } = await octokit.rest.issues.getComment({ ...splitRepo(repo), comment_id: commentId });
    return toComment(data as RawComment);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

export async function createIssueComment(octokit: Octokit, issue: IssueRef, body: string): Promise<{ id: number }> {
  const { data } = await octokit.rest.issues.createComment({ ...splitRepo(issue.repo), issue_number: issue.number, body });
  return { id: data.id };
}

export async function updateIssueComment(octokit: Octokit, repo: string, commentId: number, body: string): Promise<void> {
  await octokit.rest.issues.updateComment({ ...splitRepo(repo), comment_id: commentId, body });
}

export async function openIssue(octokit: Octokit, repo: string, title: string, body: string): Promise<{ number: number }> {
  const { data } = await octokit.rest.issues.create({ ...splitRepo(repo), title, body });
  return { number: data.number };
}

const identities = new WeakMap<object, Promise<AppIdentity>>();

/**
 * `GET /app` (app-authenticated: installation tokens cannot call it) gives the slug; GitHub writes
 * the app's comments as the user `${slug}[bot]`. Asked once per Probot instance: the slug of a
 * registered app never changes. A failed lookup is forgotten so the next job asks again.
 */
export function appIdentity(deps: Pick<AppDeps, "probot">): Promise<AppIdentity> {
  let pending = identities.get(deps.probot);
  if (!pending) {
    pending = (async () => {
      const octokit = (await deps.probot.auth()) as Octokit;
      const { data } = await octokit.request("GET /app");
      const slug = (data as { slug?: string } | null)?.slug;
      if (!slug) throw new Error("GET /app returned no slug");
      return { slug, botLogin: `${slug}[bot]` };
    })();
    pending.catch(() => identities.delete(deps.probot));
    identities.set(deps.probot, pending);
  }
  return pending;
}

/**
 * Whether the app wrote this comment. Both the login and the Bot type must match: a `[bot]` login
 * cannot be registered by a person, and the type check keeps it that way should GitHub ever relax it.
 * Markers alone prove nothing, since anyone can paste one into their own comment.
 */
export function isOwnComment(comment: IssueComment, identity: AppIdentity): boolean {
  return comment.author !== null && comment.author.type === "Bot" && comment.author.login.toLowerCase() === identity.botLogin.toLowerCase();
}

/** Whether `comment` (fetched by id) still sits on `issue`: comments follow an issue that is transferred. */
export function belongsTo(comment: IssueComment, issue: IssueRef): boolean {
  return comment.issueUrl.toLowerCase().endsWith(`/repos/${issue.repo.toLowerCase()}/issues/${issue.number}`);
}

/** A response from GitHub refusing the request (4xx): nothing was written, so retrying later is safe. */
export function isDefiniteRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" && status >= 400 && status < 500;
}
