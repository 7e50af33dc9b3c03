/**
 * The web dashboard, server-rendered by the app's own process:
 *   GET  /                                  the programs the viewer may see (or the sign-in page)
 *   GET  /signin, /auth/github, /auth/github/callback; POST /signout
 *   GET  /insights                          the insights as charts (roster admins)
 *   GET  /privacy                           what the app stores and why (anyone, signed in or not)
 *   GET  /programs/:id                      program (admins; mentors: their projects)
 *   GET  /programs/:id/projects/:project    project (its mentors and admins; its mentees: aggregates)
 *   GET  /programs/:id/mentors/:login       "what is waiting for me"
 *   GET  /programs/:id/mentees/:login       a mentee's work, answers, rounds and check-ins
 *   POST /programs/:id/mentees/:login/evaluations | check-ins    the forms (CSRF token required)
 * Every page answers `?csv=<table>` (that table as CSV) and `?format=json` (all its tables), under the
 * same access rules. Off unless the app's OAuth credentials are set.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppDeps, DashboardSettings } from "../deps.js";
import { decodeSegment } from "../reports/routes.js";
import { Html, html } from "../render/dashboard/html.js";
import { renderLayout } from "../render/dashboard/page.js";
import { answer } from "./answer.js";
import { CALLBACK_PATH, finishSignIn, signOut, startSignIn } from "./auth-routes.js";
import { recordFromForm } from "./form-routes.js";
import { insightsPageFor, isOnAnyRoster, privacyPageBody, menteePageFor, mentorPageFor, programPageFor, programsPageFor, projectPageFor, type Viewer } from "./pages.js";
import { messagePage, redirect, sendHtml, sendJson } from "./respond.js";
import { csrfToken, openSession, readCookies, SESSION_COOKIE, type Session } from "./session.js";

const PROGRAM_PATH = /^\/programs\/([^/]+)(?:\/(projects|mentors|mentees)\/([^/]+)(?:\/(evaluations|check-ins))?)?$/;

export function dashboardRoutes(deps: AppDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const settings = deps.dashboard;
    if (!settings) return false;
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const match = PROGRAM_PATH.exec(path);
    if (!match && !["/", "/insights", "/privacy", "/signin", "/signout", "/auth/github", CALLBACK_PATH].includes(path)) return false;
    const log = deps.log.child({ route: "dashboard" });
    try {
      await route(deps, settings, req, res, path, url.searchParams, match);
    } catch (error) {
      log.error({ err: error, path }, "dashboard request failed");
      if (!res.headersSent) sendHtml(res, 500, messagePage("Something went wrong", "The dashboard could not show this page. The error is in the app's log."));
    }
    return true;
  };
}

async function route(
  deps: AppDeps,
  settings: DashboardSettings,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  match: RegExpExecArray | null,
): Promise<void> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const method = req.method ?? "GET";
  const post = match?.[4] !== undefined || path === "/signout";
  if (post ? method !== "POST" : method !== "GET" && method !== "HEAD") {
    res.writeHead(405, { allow: post ? "POST" : "GET, HEAD" }).end();
    return;
  }
  if (path === "/auth/github") return startSignIn(settings, req, res, query, nowSeconds);
  if (path === CALLBACK_PATH) return finishSignIn(deps, settings, req, res, query, nowSeconds);

  const session = openSession(settings.sessionKey, readCookies(req.headers.cookie).get(SESSION_COOKIE), nowSeconds);
  if (path === "/privacy") {
    const frame = { viewer: session ? { login: session.login } : null, csrf: session ? csrfToken(settings.sessionKey, session) : null };
    return sendHtml(res, 200, renderLayout("What this app stores", frame, new Html(await privacyPageBody(deps))));
  }
  const wantsData = query.has("csv") || query.get("format") === "json";
  if (path === "/signin" || session === null) {
    if (session === null && post) return sendHtml(res, 403, messagePage("Signed out", "Your session has ended: sign in again, then send the form again.", { href: "/signin", label: "Sign in" }));
    if (session === null && wantsData) return sendJson(res, 401, { error: "sign in first" });
    if (session === null && path !== "/signin") return redirect(res, `/signin?next=${encodeURIComponent(path + (query.size ? `?${query}` : ""))}`);
    return sendHtml(res, 200, signInPage(session, settings, query.get("next")));
  }
  const viewer: Viewer = { id: session.userId, login: session.login };
  const csrf = csrfToken(settings.sessionKey, session);
  if (path === "/signout") {
    const form = await readForm(req);
    if (form?.get("csrf") !== csrf) return sendHtml(res, 403, messagePage("Not signed out", "The form was missing its security token: use the Sign out button.", { href: "/", label: "Back" }));
    return signOut(settings, res);
  }
  if (!(await isOnAnyRoster(deps, viewer))) return sendHtml(res, 403, signInPage(session, settings, null));

  const installationText = query.get("installation");
  const installationId = installationText !== null && /^\d{1,15}$/.test(installationText) ? Number(installationText) : null;
  if (path === "/") return answer(res, { status: 200, page: await programsPageFor(deps, viewer) }, session, csrf, query, "programs");
  if (path === "/insights") return answer(res, await insightsPageFor(deps, viewer), session, csrf, query, "insights");

  const programId = decodeSegment(match![1]!);
  const kind = match![2] as "projects" | "mentors" | "mentees" | undefined;
  const name = match![3] === undefined ? null : decodeSegment(match![3]);
  if (programId === null || (kind !== undefined && name === null)) return answer(res, { status: 403, message: "Malformed address." }, session, csrf, query, "page");
  if (match![4] !== undefined) {
    const form = await readForm(req);
    return recordFromForm(deps, res, { viewer, csrf, form, programId, mentee: name!, installationId, resource: match![4] as "evaluations" | "check-ins", session });
  }
  const notice = query.get("recorded") === "evaluation" ? "Evaluation recorded." : query.get("recorded") === "check-in" ? "Check-in recorded." : undefined;
  const result =
    kind === undefined
      ? await programPageFor(deps, viewer, programId, installationId)
      : kind === "projects"
        ? await projectPageFor(deps, viewer, programId, name!, installationId)
        : kind === "mentors"
          ? await mentorPageFor(deps, viewer, programId, name!, installationId)
          : await menteePageFor(deps, viewer, programId, name!, installationId, csrf);
  return answer(res, result, session, csrf, query, [programId, kind, name].filter(Boolean).join("-"), notice);
}

function signInPage(session: Session | null, settings: DashboardSettings, next: string | null): string {
  const target = `/auth/github${next ? `?next=${encodeURIComponent(next)}` : ""}`;
  const host = new URL(settings.githubWebUrl).host;
  const body = session
    ? html`<h1>No program lists you</h1><p>You are signed in as <strong>${session.login}</strong>, but no roster of this app names you as an admin, mentor or mentee, so there is nothing to show.</p><p><a href="${target}">Sign in with another ${host} account</a></p>`
    : html`<h1>Sign in</h1><p>The dashboard shows mentorship programs to the people in them: program admins, mentors and mentees. Sign in with your ${host} account to see yours.</p><p><a class="button" href="${target}">Sign in with GitHub</a></p><p><a href="/privacy">What this app stores and why</a></p>`;
  return renderLayout("Sign in", { viewer: session ? { login: session.login } : null, csrf: session ? csrfToken(settings.sessionKey, session) : null }, body);
}

const MAX_FORM_BYTES = 16 * 1024;

/** A url-encoded form body, or null when it is too large or not a form. Never logged: notes are private. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers["content-type"] ?? "")) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
