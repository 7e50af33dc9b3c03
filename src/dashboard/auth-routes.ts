/**
 * Signing in with GitHub (the app's own OAuth client), and out. The sign-in's `state` is kept in a
 * short-lived signed cookie and compared on the way back, so nobody can complete a sign-in they did
 * not start in this browser (login CSRF). Identity is GitHub's numeric user id.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppDeps, DashboardSettings } from "../deps.js";
import { authorizeUrl, exchangeCode } from "../github/oauth.js";
import { userOfToken } from "../github/user.js";
import {
  clearCookie,
  newNonce,
  openSignIn,
  readCookies,
  safeNext,
  sealSession,
  sealSignIn,
  SESSION_COOKIE,
  SESSION_SECONDS,
  setCookie,
  SIGN_IN_COOKIE,
  SIGN_IN_SECONDS,
} from "./session.js";
import { messagePage, redirect, sendHtml } from "./respond.js";

export const CALLBACK_PATH = "/auth/github/callback";

/** The dashboard's address as people reach it: DASHBOARD_URL, else the Host the browser sent. */
export function baseUrl(settings: DashboardSettings, req: IncomingMessage): string {
  return settings.publicUrl ?? `http://${req.headers.host ?? "localhost"}`;
}

export function isSecure(settings: DashboardSettings): boolean {
  return settings.publicUrl?.startsWith("https://") ?? false;
}

export function startSignIn(settings: DashboardSettings, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, nowSeconds: number): void {
  const state = newNonce();
  const next = safeNext(query.get("next"));
  const cookie = setCookie(SIGN_IN_COOKIE, sealSignIn(settings.sessionKey, { state, next, issuedAt: nowSeconds }), { maxAgeSeconds: SIGN_IN_SECONDS, secure: isSecure(settings) });
  const login = query.get("login") ?? undefined;
  redirect(res, authorizeUrl(settings, { state, redirectUri: `${baseUrl(settings, req)}${CALLBACK_PATH}`, login }), [cookie], 302);
}

export async function finishSignIn(
  deps: Pick<AppDeps, "githubBaseUrl" | "log">,
  settings: DashboardSettings,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  nowSeconds: number,
): Promise<void> {
  const started = openSignIn(settings.sessionKey, readCookies(req.headers.cookie).get(SIGN_IN_COOKIE), nowSeconds);
  const secure = isSecure(settings);
  const again = "Sign in again";
  if (!started || query.get("state") !== started.state) {
    sendHtml(res, 400, messagePage("Sign-in expired", "This sign-in was not started in this browser, or took longer than 10 minutes.", { href: "/signin", label: again }), [clearCookie(SIGN_IN_COOKIE, secure)]);
    return;
  }
  const code = query.get("code");
  if (!code) {
    // GitHub sends `error=access_denied` when the person cancels.
    sendHtml(res, 401, messagePage("Not signed in", "GitHub did not sign you in (the authorisation was cancelled).", { href: "/signin", label: again }), [clearCookie(SIGN_IN_COOKIE, secure)]);
    return;
  }
  const token = await exchangeCode(settings, code, `${baseUrl(settings, req)}${CALLBACK_PATH}`);
  const user = token === null ? null : await userOfToken(token, deps.githubBaseUrl);
  if (user === null) {
    sendHtml(res, 401, messagePage("Not signed in", "GitHub did not accept this sign-in code.", { href: "/signin", label: again }), [clearCookie(SIGN_IN_COOKIE, secure)]);
    return;
  }
  deps.log.info({ userId: user.id }, "dashboard sign-in");
  const session = setCookie(SESSION_COOKIE, sealSession(settings.sessionKey, { userId: user.id, login: user.login, issuedAt: nowSeconds, nonce: newNonce() }), { maxAgeSeconds: SESSION_SECONDS, secure });
  redirect(res, started.next, [session, clearCookie(SIGN_IN_COOKIE, secure)]);
}

export function signOut(settings: DashboardSettings, res: ServerResponse): void {
  redirect(res, "/signin", [clearCookie(SESSION_COOKIE, isSecure(settings))]);
}
