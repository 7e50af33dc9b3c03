/**
 * nock stand-ins for the GitHub endpoints the comment jobs use, shaped like GitHub's answers
 * (Link-header pagination through `/repositories/:id/…`, comment objects with `user.type`).
 */
import nock from "nock";
import { APP_ID } from "./app.js";

export const API = "https://api.github.com";
export const APP_SLUG = "mentorship-tracker";
export const BOT = { login: `${APP_SLUG}[bot]`, id: 41_000_001, type: "Bot" };
export const REPOSITORY_ID = 555_001;

export interface GhCommentUser {
  login: string;
  id: number;
  type: string;
}

export function human(login: string, id = 90_000 + login.length): GhCommentUser {
  return { login, id, type: "User" };
}

export function ghComment(repo: string, number: number, id: number, body: string, user: GhCommentUser): Record<string, unknown> {
  return {
    id,
    node_id: `IC_c${id}`,
    url: `${API}/repos/${repo}/issues/comments/${id}`,
    html_url: `https://github.com/${repo}/issues/${number}#issuecomment-${id}`,
    issue_url: `${API}/repos/${repo}/issues/${number}`,
    body,
    user: { ...user, node_id: `U_${user.id}`, url: `${API}/users/${user.login}` },
    created_at: "2026-06-20T10:00:00Z",
    updated_at: "2026-06-20T10:00:00Z",
    author_association: user.type === "Bot" ? "NONE" : "MEMBER",
  };
}

/** `GET /app`, answered once; the job code asks once per Probot instance. */
export function mockApp() {
  return nock(API).get("/app").reply(200, { id: APP_ID, slug: APP_SLUG, name: "Mentorship Tracker", owner: { login: "asyncapi" } });
}

/** The issue's comments, 100 a page, with GitHub's Link headers between pages. */
export function mockCommentPages(repo: string, number: number, comments: Array<Record<string, unknown>>): void {
  const pages: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < comments.length; i += 100) pages.push(comments.slice(i, i + 100));
  if (pages.length === 0) pages.push([]);
  const pageUrl = (page: number) => `${API}/repositories/${REPOSITORY_ID}/issues/${number}/comments?per_page=100&page=${page}`;
  pages.forEach((page, i) => {
    const headers: Record<string, string> =
      i + 1 < pages.length
        ? { link: `<${pageUrl(i + 2)}>; rel="next", <${pageUrl(pages.length)}>; rel="last"` }
        : pages.length > 1
          ? { link: `<${pageUrl(1)}>; rel="first", <${pageUrl(i)}>; rel="prev"` }
          : {};
    const path = i === 0 ? `/repos/${repo}/issues/${number}/comments` : `/repositories/${REPOSITORY_ID}/issues/${number}/comments`;
    nock(API)
      .get(path)
      .query(i === 0 ? { per_page: "100" } : { per_page: "100", page: String(i + 1) })
      .reply(200, page, headers);
  });
}

export interface Recorded {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/**
 * Records POSTs of new comments on an issue and answers each with a new id. Persisted and optional:
 * tests assert on what was recorded, so "nothing posted" and "posted twice" both show.
 */
export function recordNewComments(repo: string, number: number, firstId = 880_001): Recorded[] {
  const recorded: Recorded[] = [];
  let next = firstId;
  nock(API)
    .persist()
    .post(`/repos/${repo}/issues/${number}/comments`)
    .optionally()
    .reply(201, (path, body) => {
      recorded.push({ method: "POST", path, body: body as Record<string, unknown> });
      return ghComment(repo, number, next++, String((body as { body: string }).body), BOT);
    });
  return recorded;
}

/** Real `@login` pings: an at-sign directly followed by a login character (the renderers defuse others). */
export function mentions(body: string): string[] {
  return [...body.matchAll(/(?:^|[^A-Za-z0-9_`])@([A-Za-z0-9][A-Za-z0-9-]*)/g)].map((m) => m[1]!);
}
