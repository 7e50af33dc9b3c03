/**
 * The stand-in's web sign-in, as GitHub's OAuth for a GitHub App works: the authorisation page (which
 * here signs in at once as the account named by GitHub's own `login` parameter, or lists the people
 * to pick from), the code exchange, and `GET /user` for the token it gave out.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { escapeHtml } from "../render/dashboard/html.js";

/** A person the stand-in knows (Account). */
interface Account {
  id: number;
  login: string;
  type: string;
}

export interface StandinOAuthClient {
  clientId: string;
  clientSecret: string;
}

export const DEMO_OAUTH_CLIENT: StandinOAuthClient = { clientId: "Iv1.demo-client", clientSecret: "demo-client-secret" };

export interface StandinAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function standinOAuth(people: readonly Account[], client: StandinOAuthClient) {
  const codes = new Map<string, Account>();
  const tokens = new Map<string, Account>();
  const json = (status: number, body: unknown): StandinAnswer => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  return (req: IncomingMessage, url: URL, body: Record<string, unknown>): StandinAnswer | null => {
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      if (url.searchParams.get("client_id") !== client.clientId) return json(404, { message: "unknown client_id" });
      const redirect = url.searchParams.get("redirect_uri");
      if (!redirect || !/^https?:\/\//.test(redirect)) return json(400, { message: "redirect_uri required" });
      const login = url.searchParams.get("login")?.toLowerCase();
      const person = people.find((p) => p.type === "User" && p.login.toLowerCase() === login);
      if (!person) {
        const links = people
          .filter((p) => p.type === "User")
          .map((p) => {
            const pick = new URL(url);
            pick.searchParams.set("login", p.login);
            return `<li><a href="${escapeHtml(pick.pathname + pick.search)}">${escapeHtml(p.login)}</a></li>`;
          });
        return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: `<!doctype html><html lang="en"><head><title>Sign in to the stand-in GitHub</title></head><body><main><h1>Sign in as</h1><ul>${links.join("")}</ul></main></body></html>` };
      }
      const code = randomBytes(10).toString("hex");
      codes.set(code, person);
      const back = new URL(redirect);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return { status: 302, headers: { location: back.toString() }, body: "" };
    }
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const person = codes.get(String(body.code));
      if (!person || body.client_id !== client.clientId || body.client_secret !== client.clientSecret) return json(200, { error: "bad_verification_code" });
      codes.delete(String(body.code));
      const token = `ghu_${randomBytes(12).toString("hex")}`;
      tokens.set(token, person);
      return json(200, { access_token: token, token_type: "bearer", scope: "" });
    }
    if (req.method === "GET" && url.pathname === "/api/v3/user") {
      const person = tokens.get((req.headers.authorization ?? "").replace(/^(token|bearer) /i, ""));
      return person ? json(200, { id: person.id, login: person.login, type: person.type }) : json(401, { message: "Bad credentials" });
    }
    return null;
  };
}
