import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { appRoutes, type StandinAppSettings, type StandinRoute } from "./standin-app.js";
import { type OrgThread, StandinOrg } from "./standin-graphql.js";
import { DEMO_OAUTH_CLIENT, standinOAuth, type StandinOAuthClient } from "./standin-oauth.js";

/**
 * A local stand-in for the part of GitHub's API the app uses, reached through Probot's GHE
 * settings (REST under /api/v3, GraphQL at /api/graphql), so the app's own Octokit code runs
 * unchanged. It remembers what the app wrote, for the demo to print.
 */

export interface StandinUser {
  id: number;
  login: string;
  type: "User" | "Bot";
}

export interface StandinComment {
  id: number;
  repo: string;
  number: number;
  body: string;
  user: StandinUser;
  created_at: string;
  updated_at: string;
  html_url: string;
  issue_url: string;
}

export interface StandinOptions {
  appSlug: string;
  /** Files by `owner/repo:path`. */
  files: Record<string, string>;
  people: StandinUser[];
  /** What the backfill finds when the app is installed; none when the story starts with the install. */
  history?: OrgThread[];
  /** Repository role of a login (`admin`, `maintain`, `write`, `triage`, `read`); others are not collaborators. */
  roles?: Record<string, string>;
  /** How the app itself is registered (webhook, deliveries, installations), for `mentorship doctor`. */
  app?: StandinAppSettings;
  /** The app's OAuth client, for the dashboard's sign-in (default DEMO_OAUTH_CLIENT). */
  oauth?: StandinOAuthClient;
  now: () => Date;
}

export interface Standin {
  url: string;
  /** `host:port`, for GHE_HOST. */
  host: string;
  bot: StandinUser;
  comments: StandinComment[];
  /** Every write the app made: method, path, when (simulated time). */
  writes: Array<{ method: string; path: string; at: string }>;
  issuesOpened: Array<{ repo: string; number: number; title: string }>;
  checkRuns: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startStandinGitHub(options: StandinOptions): Promise<Standin> {
  const bot: StandinUser = { id: 900_001, login: `${options.appSlug}[bot]`, type: "Bot" };
  const comments: StandinComment[] = [];
  const writes: Standin["writes"] = [];
  const issuesOpened: Standin["issuesOpened"] = [];
  const checkRuns: Standin["checkRuns"] = [];
  const issueNumbers = new Map<string, number>();
  let nextId = 1;
  let base = "";
  const history = new StandinOrg(options.history ?? []);
  const oauth = standinOAuth(options.people, options.oauth ?? DEMO_OAUTH_CLIENT);

  const routes: StandinRoute[] = [
    ["POST", /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/, () => [201, { token: "demo-token", expires_at: "2099-01-01T00:00:00Z", permissions: {} }]],
    ...appRoutes(options.appSlug, options.app),
    [
      "GET",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      (m) => {
        const text = options.files[`${m[1]}/${m[2]}:${decodeURIComponent(m[3]!)}`];
        if (text === undefined) return [404, { message: "Not Found" }];
        return [200, { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64"), sha: "demo" }];
      },
    ],
    [
      "GET",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/,
      (m) => {
        const role = options.roles?.[m[3]!.toLowerCase()];
        if (!role) return [404, { message: "Not Found" }];
        const user = options.people.find((p) => p.login.toLowerCase() === m[3]!.toLowerCase());
        return [200, { permission: role === "maintain" ? "write" : role, role_name: role, user }];
      },
    ],
    [
      "GET",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      (m, _body, url) => {
        const repo = `${m[1]}/${m[2]}`.toLowerCase();
        const all = comments.filter((c) => c.repo === repo && c.number === Number(m[3]));
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        return [200, all.slice((page - 1) * perPage, page * perPage)];
      },
    ],
    [
      "POST",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      (m, body) => {
        const repo = `${m[1]}/${m[2]}`.toLowerCase();
        const at = options.now().toISOString();
        const id = nextId++;
        const comment: StandinComment = {
          id,
          repo,
          number: Number(m[3]),
          body: String(body.body),
          user: bot,
          created_at: at,
          updated_at: at,
          html_url: `https://github.com/${repo}/issues/${m[3]}#issuecomment-${id}`,
          issue_url: `${base}/api/v3/repos/${repo}/issues/${m[3]}`,
        };
        comments.push(comment);
        return [201, comment];
      },
    ],
    [
      "GET",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      (m) => {
        const comment = comments.find((c) => c.id === Number(m[3]));
        return comment ? [200, comment] : [404, { message: "Not Found" }];
      },
    ],
    [
      "PATCH",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      (m, body) => {
        const comment = comments.find((c) => c.id === Number(m[3]));
        if (!comment) return [404, { message: "Not Found" }];
        comment.body = String(body.body);
        comment.updated_at = options.now().toISOString();
        return [200, comment];
      },
    ],
    [
      "POST",
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues$/,
      (m, body) => {
        const repo = `${m[1]}/${m[2]}`.toLowerCase();
        const number = (issueNumbers.get(repo) ?? 100) + 1;
        issueNumbers.set(repo, number);
        issuesOpened.push({ repo, number, title: String(body.title) });
        return [201, { id: nextId++, number, title: body.title, html_url: `https://github.com/${repo}/issues/${number}`, user: bot }];
      },
    ],
    ["POST", /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/check-runs$/, (_m, body) => (checkRuns.push(body), [201, { id: nextId++ }])],
    ["POST", /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/reactions$/, (_m, body) => [201, { id: nextId++, content: body.content }]],
    [
      "POST",
      /^\/api\/graphql$/,
      (_m, body) => [200, /query\s+Backfill/.test(String(body.query)) ? history.answer(body) : answerGraphql(String(body.query ?? ""), options.people)],
    ],
  ];

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = !text ? {} : (req.headers["content-type"] ?? "").includes("x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text);
    const signIn = oauth(req, url, body);
    if (signIn) {
      res.writeHead(signIn.status, signIn.headers).end(signIn.body);
      return;
    }
    for (const [method, pattern, answer] of routes) {
      const match = req.method === method ? url.pathname.match(pattern) : null;
      if (!match) continue;
      const [status, data] = answer(match, body, url);
      if (method !== "GET" && !url.pathname.endsWith("/access_tokens") && !url.pathname.endsWith("/graphql")) {
        writes.push({ method, path: url.pathname.replace(/^\/api\/v3/, ""), at: options.now().toISOString() });
      }
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: `stand-in: no route for ${req.method} ${url.pathname}` }));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    host: `127.0.0.1:${port}`,
    bot,
    comments,
    writes,
    issuesOpened,
    checkRuns,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Login lookups (`uN: user(login: "x") { databaseId login }`), as the roster loader asks them. */
function answerGraphql(query: string, people: StandinUser[]): unknown {
  const data: Record<string, unknown> = {};
  for (const [, alias, login] of query.matchAll(/(\w+): user\(login: "([^"]+)"\)/g)) {
    const person = people.find((p) => p.login.toLowerCase() === login!.toLowerCase());
    data[alias!] = person ? { databaseId: person.id, login: person.login } : null;
  }
  return { data };
}
