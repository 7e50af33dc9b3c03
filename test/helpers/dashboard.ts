/**
 * The dashboard against the stand-in GitHub's OAuth: a test signs in as anyone the stand-in knows,
 * through the same redirects a browser follows, and keeps the session cookie like a browser would.
 */
import { randomBytes } from "node:crypto";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { startStandinGitHub, type Standin, type StandinUser } from "../../src/demo/standin-github.js";
import { DEMO_OAUTH_CLIENT } from "../../src/demo/standin-oauth.js";
import { createTestApp, type TestApp } from "./app.js";
import { lifecycleModel } from "./lifecycle.js";
import type { GhUser } from "./payloads.js";
import { admin, mentee, mentee2, mentor, mentor2, prOpened, reviewSubmitted, seedWorld, stranger } from "./scenario.js";

export const STORY_PEOPLE = [admin, mentee, mentee2, mentor, mentor2, stranger];

/**
 * The lifecycle world (two rounds, weekly check-ins) with two requests through signed deliveries:
 * mentee-one's PR reviewed 5 h later, mentee-two's waiting since 2026-08-10 09:00 (overdue after 48 h).
 */
export async function seedDashboardStory(database: DatabaseHandle, app: TestApp): Promise<void> {
  await seedWorld(database.db, lifecycleModel());
  for (const [name, payload] of [
    ["pull_request", prOpened(10, "2026-07-01T10:00:00Z", mentee)],
    ["pull_request_review", reviewSubmitted(10, 9001, "2026-07-01T15:00:00Z", mentor, mentee, "commented")],
    ["pull_request", prOpened(11, "2026-08-10T09:00:00Z", mentee2)],
  ] as const) {
    const response = await app.send(name, payload);
    if (response.status !== 200) throw new Error(`delivery refused: ${response.status}`);
  }
  await app.runJobs();
}

export interface DashboardWorld {
  app: TestApp;
  standin: Standin;
  close(): Promise<void>;
}

export async function startDashboard(database: DatabaseHandle, people: GhUser[], options: { now?: () => Date } = {}): Promise<DashboardWorld> {
  const standin = await startStandinGitHub({
    appSlug: "mentorship-tracker",
    files: {},
    people: people.map((p): StandinUser => ({ id: p.id, login: p.login, type: "User" })),
    now: () => new Date(),
  });
  const app = await createTestApp(database, {
    ...(options.now ? { now: options.now } : {}),
    githubBaseUrl: `${standin.url}/api/v3`,
    dashboard: { ...DEMO_OAUTH_CLIENT, sessionKey: randomBytes(32), githubWebUrl: standin.url },
  });
  return {
    app,
    standin,
    close: async () => {
      await app.close();
      await standin.close();
    },
  };
}

/** A browser's cookie jar, reduced to what the dashboard sets (one host, Path=/). */
export class Visitor {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }

  /** One request, no redirect followed; cookies kept. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const url = path.startsWith("http") ? path : `${this.baseUrl}${path}`;
    const sameSite = url.startsWith(this.baseUrl);
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(sameSite ? this.header() : {}), ...(init.headers as Record<string, string> | undefined) } });
    if (sameSite) this.remember(response);
    return response;
  }

  /** Follows redirects across the app and the stand-in, as a browser does. */
  async follow(path: string): Promise<Response> {
    let response = await this.fetch(path);
    for (let i = 0; i < 10 && response.status >= 300 && response.status < 400; i++) {
      const next = new URL(response.headers.get("location")!, response.url || this.baseUrl).toString();
      response = await this.fetch(next);
    }
    return response;
  }

  async signIn(login: string): Promise<void> {
    const page = await this.follow(`/auth/github?login=${encodeURIComponent(login)}`);
    // Someone on no roster lands on a 403 page, signed in all the same.
    if (!this.cookies.has("mt_session")) throw new Error(`sign-in as ${login} failed: ${page.status}`);
  }

  /** The CSRF token of the forms on a page. */
  static csrfOf(page: string): string {
    const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error("no CSRF token on the page");
    return token;
  }

  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
  }
}
