import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { runCli } from "../../src/cli/main.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import type { StandinAppSettings } from "../../src/demo/standin-app.js";
import { type Standin, startStandinGitHub } from "../../src/demo/standin-github.js";
import { privateKey } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";

const ROSTER = `admins: [ada]
programs:
  - id: p-2026
    name: Program 2026
    starts: 2026-06-01
    ends: 2026-09-30
    projects:
      - id: cli
        title: CLI
        repos: [acme/cli]
        mentors: [ada]
        mentees: [bob]
`;
const people = [
  { id: 11, login: "ada", type: "User" as const },
  { id: 12, login: "bob", type: "User" as const },
];
const now = new Date();
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

let database: DatabaseHandle;
let standin: Standin | undefined;
/** On the embedded run: a data directory that `mentorship migrate` has prepared, as an admin's would be. */
let embeddedDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  embeddedDir = mkdtempSync(join(tmpdir(), "doctor-"));
  if (database.embedded) {
    expect(await runCli(["migrate"], { stdout: () => {}, stderr: () => {}, env: { DATA_DIR: embeddedDir } })).toBe(0);
  }
  // The stand-in listens on loopback; nock lets it through.
  nock.enableNetConnect("127.0.0.1");
});
afterAll(async () => {
  await database.close();
  nock.disableNetConnect();
});
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function doctor(app: StandinAppSettings, files: Record<string, string>, env: Record<string, string> = {}) {
  standin = await startStandinGitHub({ appSlug: "mentorship-tracker", files, people, app, now: () => now });
  let stdout = "";
  let stderr = "";
  const code = await runCli(["doctor"], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {
      APP_ID: "1",
      PRIVATE_KEY: privateKey(),
      WEBHOOK_SECRET: "s",
      GHE_HOST: standin.host,
      GHE_PROTOCOL: "http",
      ...(database.embedded ? { DATA_DIR: embeddedDir } : { DATABASE_URL: database.connectionString }),
      ...env,
    },
  });
  const lines = stdout.split("\n");
  const line = (name: string) => lines.find((l) => l.slice(2).startsWith(`${name} `)) ?? `(no line for ${name})`;
  return { code, stdout, stderr, line, failed: lines.filter((l) => l.startsWith("✗")).map((l) => l.slice(2, 24).trim()) };
}

const healthy: StandinAppSettings = {
  installations: [{ id: 7, account: "acme" }],
  repos: ["acme/.github"],
  deliveries: [
    { guid: "g2", delivered_at: hoursAgo(1), status_code: 200, event: "issue_comment" },
    { guid: "g1", delivered_at: hoursAgo(30), status_code: 200, event: "installation" },
  ],
};
const rosterFiles = { "acme/.github:.github/mentorship.yml": ROSTER };

describe("mentorship doctor, against a stand-in GitHub", () => {
  it("passes every check and exits 0 when all is well", async () => {
    const result = await doctor(healthy, rosterFiles);
    expect(result.failed).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.line("credentials")).toContain('app "mentorship-tracker" (id 1) owned by demo-org');
    expect(result.line("webhook URL")).toContain("https://tracker.acme.dev/api/github/webhooks");
    expect(result.line("recent deliveries")).toContain("2 in the last 3 days, all delivered; latest issue_comment");
    expect(result.line("installations")).toContain("acme");
    expect(result.line("roster of acme")).toContain("1 program, 1 project, 2 people (1 mentor, 1 mentee)");
    expect(result.line("database")).toContain("migrations applied");
    expect(result.line("stored deliveries")).toContain("0 waiting for the worker, none set aside");
    expect(result.stdout).toMatch(/\n11 checks: 11 passed, 0 failed\n$/);
  });

  it("names a placeholder webhook URL with its fix", async () => {
    const result = await doctor({ ...healthy, hook: { url: "https://example.com/api/github/webhooks" } }, rosterFiles);
    expect(result.code).toBe(1);
    expect(result.failed).toEqual(["webhook URL"]);
    expect(result.stdout).toContain("https://example.com/api/github/webhooks is a placeholder");
    expect(result.stdout).toContain('fix: on https://github.com/organizations/demo-org/settings/apps/mentorship-tracker set "Webhook URL"');
  });

  it("names a webhook that is JSON-less, unsigned, or ends at the wrong path, and a smee channel this process does not read", async () => {
    const wrong = await doctor({ ...healthy, hook: { url: "https://tracker.acme.dev/", content_type: "form", secret: null } }, rosterFiles);
    expect(wrong.failed).toEqual(["webhook URL", "webhook content type", "webhook secret"]);
    expect(wrong.line("webhook URL")).toContain("ends in /, but this app receives webhooks at /api/github/webhooks");
    await standin!.close();
    const smee = await doctor({ ...healthy, hook: { url: "https://smee.io/abc" } }, rosterFiles);
    expect(smee.failed).toEqual(["webhook URL"]);
    expect(smee.stdout).toContain("fix: set WEBHOOK_PROXY_URL=https://smee.io/abc in .env");
    await standin!.close();
    const proxied = await doctor({ ...healthy, hook: { url: "https://smee.io/abc" } }, rosterFiles, { WEBHOOK_PROXY_URL: "https://smee.io/abc" });
    expect(proxied.failed).toEqual([]);
  });

  it("names a missing roster, and a .github repository the app cannot see", async () => {
    const missing = await doctor(healthy, {});
    expect(missing.failed).toEqual(["roster of acme"]);
    expect(missing.line("roster of acme")).toContain("no acme/.github → .github/mentorship.yml");
    await standin!.close();
    const unseen = await doctor({ ...healthy, repos: [] }, {});
    expect(unseen.line("roster of acme")).toContain("the app cannot see acme/.github");
  });

  it("names an invalid roster with its path and line, and logins GitHub does not know", async () => {
    const invalid = await doctor(healthy, { "acme/.github:.github/mentorship.yml": ROSTER.replace("mentees: [bob]", "mentees: ['@bob']") });
    expect(invalid.code).toBe(1);
    expect(invalid.failed).toEqual(["roster of acme"]);
    expect(invalid.line("roster of acme")).toMatch(/is invalid: programs\[0\]\.projects\[0\]\.mentees\[0\] \(line 12\): .*@bob/);
    await standin!.close();
    const unknown = await doctor(healthy, { "acme/.github:.github/mentorship.yml": ROSTER.replace("mentees: [bob]", "mentees: [nobody-here]") });
    expect(unknown.line("roster of acme")).toContain("GitHub knows no user nobody-here");
  });

  it("counts deliveries whose latest attempt failed in the last 3 days, with the latest status code", async () => {
    const result = await doctor(
      {
        ...healthy,
        deliveries: [
          { guid: "g4", delivered_at: hoursAgo(1), status_code: 502, event: "pull_request" },
          { guid: "g3", delivered_at: hoursAgo(2), status_code: 200 },
          { guid: "g3", delivered_at: hoursAgo(3), status_code: 500 },
          { guid: "g2", delivered_at: hoursAgo(5), status_code: 0, status: "timed out" },
          { guid: "g1", delivered_at: hoursAgo(100), status_code: 500 },
        ],
      },
      rosterFiles,
    );
    expect(result.failed).toEqual(["recent deliveries"]);
    expect(result.line("recent deliveries")).toContain("2 of 3 in the last 3 days failed (502, timed out); latest pull_request");
    expect(result.line("recent deliveries")).toContain("answered 502");
  });

  it("names an unreachable database, missing events and weak permissions, and an app installed nowhere", async () => {
    const result = await doctor(
      { events: ["issues", "push"], permissions: { issues: "read", metadata: "read" }, installations: [] },
      {},
      { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
    );
    expect(result.code).toBe(1);
    expect(result.failed).toEqual(["installations", "events", "permissions", "database"]);
    expect(result.line("installations")).toContain("installed on no organisation");
    expect(result.line("events")).toContain("not subscribed to issue_comment, pull_request, pull_request_review, pull_request_review_comment");
    expect(result.line("permissions")).toContain("issues: write (has read)");
    expect(result.line("database")).toContain("PostgreSQL at 127.0.0.1:1: connection refused");
  });

  it("names a database whose migrations have not run", async () => {
    const fresh = await doctor(healthy, rosterFiles, { DATABASE_URL: "", DATA_DIR: mkdtempSync(join(tmpdir(), "doctor-fresh-")) });
    expect(fresh.failed).toEqual(["database"]);
    expect(fresh.line("database")).toMatch(/embedded database in .*: \d+ migration\(s\) not applied \(2026-11-22T00-00-00Z-initial, /);
    expect(fresh.stdout).toContain("fix: run `npx mentorship migrate`");
  });

  it("names stored deliveries the database refused at expansion, and counts those waiting for the worker", async () => {
    // The doctor's own database: the migrated data directory on the embedded run, the test database on PostgreSQL.
    const target = database.embedded ? await openDatabase({ dataDir: join(embeddedDir, "pglite") }) : database;
    const rows = [
      { id: "doctor-aside", event: "pull_request", body: "{}", expand_error: 'invalid input syntax for type json: unsupported Unicode escape sequence' },
      { id: "doctor-waiting", event: "issues", body: "{}", expand_error: null },
    ];
    await target.db.insertInto("deliveries").values(rows).execute();
    if (database.embedded) await target.close();
    try {
      const result = await doctor(healthy, rosterFiles);
      expect(result.failed).toEqual(["stored deliveries"]);
      expect(result.line("stored deliveries")).toContain("1 waiting for the worker; 1 set aside: not JSON, or the database refused their events (body kept)");
      expect(result.stdout).toContain("fix: see `select id, event, expand_error from deliveries where expand_error is not null`");
    } finally {
      const cleanup = database.embedded ? await openDatabase({ dataDir: join(embeddedDir, "pglite") }) : database;
      await cleanup.db.deleteFrom("deliveries").where("id", "in", rows.map((r) => r.id)).execute();
      if (database.embedded) await cleanup.close();
    }
  });

  it("says the credentials are wrong when GitHub refuses them, and what to do when there are none", async () => {
    standin = await startStandinGitHub({ appSlug: "x", files: {}, people, now: () => now });
    let stdout = "";
    const code = await runCli(["doctor"], {
      stdout: (t) => (stdout += t),
      stderr: () => {},
      env: { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
    });
    expect(code).toBe(1);
    expect(stdout).toContain("✗ credentials            APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are not set");
    expect(stdout).toContain("fix: run `npm start` and register the app on the page it serves");
  });
});
