/**
 * The dashboard's session: a signed cookie that names the viewer by their numeric GitHub id. Nothing
 * is kept on the server, so any process sharing the key reads it, and signing out clears the cookie.
 *
 * - HttpOnly: page scripts (there are none, but an injected one) cannot read it.
 * - SameSite=Lax: sent when someone follows a link to the dashboard (from a GitHub comment, say) and
 *   on GitHub's redirect back after sign-in, never on a cross-site POST. Strict would break both.
 * - Secure whenever the dashboard is served over https.
 * - Every form also carries a CSRF token tied to the session, checked before anything is recorded.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "mt_session";
export const SIGN_IN_COOKIE = "mt_signin";
/** A working day and a bit: long enough not to nag, short enough that a lost laptop's session ends. */
export const SESSION_SECONDS = 12 * 3600;
/** Time to click through GitHub's authorisation page. */
export const SIGN_IN_SECONDS = 10 * 60;

export interface Session {
  userId: number;
  login: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Random per sign-in: the CSRF token derives from it, so a new sign-in gets a new token. */
  nonce: string;
}

export interface SignInState {
  state: string;
  /** A dashboard path to return to after signing in. */
  next: string;
  issuedAt: number;
}

function subkey(key: Buffer, purpose: string): Buffer {
  return createHmac("sha256", key).update(`mentorship-tracker dashboard ${purpose}`).digest();
}

function mac(key: Buffer, purpose: string, text: string): string {
  return createHmac("sha256", subkey(key, purpose)).update(text).digest("base64url");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function seal(key: Buffer, purpose: string, value: object): string {
  const body = Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${body}.${mac(key, purpose, body)}`;
}

function unseal(key: Buffer, purpose: string, sealed: string | undefined): unknown {
  if (sealed === undefined) return null;
  const dot = sealed.indexOf(".");
  if (dot <= 0) return null;
  const body = sealed.slice(0, dot);
  if (!sameText(sealed.slice(dot + 1), mac(key, purpose, body))) return null;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

export function newNonce(): string {
  return randomBytes(18).toString("base64url");
}

export function sealSession(key: Buffer, session: Session): string {
  return seal(key, "session", session);
}

/** The session a cookie carries, or null when it is missing, forged or expired. */
export function openSession(key: Buffer, cookie: string | undefined, nowSeconds: number): Session | null {
  const value = unseal(key, "session", cookie) as Partial<Session> | null;
  if (!value || !Number.isSafeInteger(value.userId) || typeof value.login !== "string" || typeof value.nonce !== "string") return null;
  if (typeof value.issuedAt !== "number" || nowSeconds - value.issuedAt > SESSION_SECONDS || value.issuedAt > nowSeconds + 60) return null;
  return value as Session;
}

export function sealSignIn(key: Buffer, state: SignInState): string {
  return seal(key, "sign-in", state);
}

export function openSignIn(key: Buffer, cookie: string | undefined, nowSeconds: number): SignInState | null {
  const value = unseal(key, "sign-in", cookie) as Partial<SignInState> | null;
  if (!value || typeof value.state !== "string" || typeof value.next !== "string" || typeof value.issuedAt !== "number") return null;
  if (nowSeconds - value.issuedAt > SIGN_IN_SECONDS) return null;
  return value as SignInState;
}

export function csrfToken(key: Buffer, session: Session): string {
  return mac(key, "csrf", `${session.userId}\n${session.nonce}`);
}

export function isCsrfToken(key: Buffer, session: Session, token: string | undefined): boolean {
  return typeof token === "string" && sameText(token, csrfToken(key, session));
}

export function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export function setCookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  return [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${options.maxAgeSeconds}`, ...(options.secure ? ["Secure"] : [])].join("; ");
}

export function clearCookie(name: string, secure: boolean): string {
  return setCookie(name, "", { maxAgeSeconds: 0, secure });
}

/**
 * Only a path of this dashboard may be returned to after signing in: never another site
 * (`//evil.example`, `https://…`) nor a backslash trick browsers read as one.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || /[\\\r\n\t]/.test(next) || next.startsWith("/auth/")) return "/";
  return next.slice(0, 500);
}

/** The key that signs sessions: SESSION_SECRET, else one derived from the app's private key. */
export function sessionKeyFrom(sessionSecret: string | undefined, privateKey: string): Buffer {
  return createHmac("sha256", "mentorship-tracker session key").update(sessionSecret ?? privateKey).digest();
}
