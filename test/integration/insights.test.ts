/**
 * Program insights through the real path: signed deliveries -> database -> GET /api/v1/insights,
 * `mentorship insights` and `/mentorship insights`, all on one story with known answers.
 *
 * p1 runs 2025-01-01 .. 2025-03-31 and ends at 2025-04-01T00:00Z: its windows close 2025-06-30 (90 days),
 * 2025-09-28 (180) and 2026-04-01 (365), all before the clock of these tests. p2 runs to 2099: its
 * mentee's windows are all "too early", whatever day the tests run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import { runCli } from "../../src/cli/main.js";
import type { DatabaseHandle } from "../../src/db/connection.js";
import type { Insights } from "../../src/domain/insights.js";
import { programWindow } from "../../src/domain/program.js";
import { MAINTAINER_FILE_PATHS } from "../../src/domain/maintainer-files.js";
import { maintainerFilesJob } from "../../src/jobs/maintainer-files.js";
import { INSIGHTS_CSV_HEADER } from "../../src/render/insights-csv.js";
import { createTestApp, mockInstallationToken, REPORT_TOKEN, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { API } from "../helpers/github-comments.js";
import { examplePayload, ghUser } from "../helpers/payloads.js";
import { admin, commentCreated, INSTALLATION_ID, mentee, mentee2, mentor, prAction, prOpened, REPO, seedWorld, stranger, worldModel } from "../helpers/scenario.js";

const mentee3 = ghUser("mentee-three");
const person = (u: { id: number; login: string }) => ({ id: u.id, login: u.login });

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  const base = worldModel().programs[0]!;
  const project = base.projects[0]!;
  await seedWorld(
    database.db,
    worldModel({
      programs: [
        { ...base, id: "p1", name: "Program one", starts: "2025-01-01", ends: "2025-03-31", window: programWindow("2025-01-01", "2025-03-31", "UTC"), milestones: [], projects: [{ ...project, mentors: [person(mentor)], mentees: [person(mentee), person(mentee2)] }] },
        { ...base, id: "p2", name: "Program two", starts: "2026-01-01", ends: "2099-12-31", window: programWindow("2026-01-01", "2099-12-31", "UTC"), milestones: [], projects: [{ ...project, mentors: [person(mentor)], mentees: [person(mentee3)] }] },
      ],
    }),
  );
  // The app was installed before p1: from then on webhooks carried everyone's activity.
  await sql`update installations set created_at = '2024-12-01T00:00:00Z' where id = ${INSTALLATION_ID}`.execute(database.db);
  const issue = { kind: "issue" as const, number: 40, author: mentor };
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
  const deliveries: Array<[string, unknown]> = [
    ["pull_request", prOpened(1, "2025-02-01T10:00:00Z", mentee)], // during p1: the first stored contribution
    ["pull_request", prOpened(2, "2025-02-10T10:00:00Z", mentee2)], // mentee-two never contributes after p1
    ["pull_request", prOpened(3, "2025-02-15T10:00:00Z", stranger)], // a newcomer nobody mentored, during p1
    ["issue_comment", commentCreated(issue, 9001, "2025-05-15T10:00:00Z", mentee)], // 44 days after p1: retained at 90, 180, 365
    ["pull_request", prAction("closed", 3, "2025-06-01T10:00:00Z", mentee, stranger, { merged: true })], // mentee-one merges someone else's PR
    ["issue_comment", commentCreated(issue, 9002, "2025-08-01T10:00:00Z", stranger)], // 122 days after: retained at 180 and 365, not 90
    ["issue_comment", commentCreated(issue, 9003, yesterday, mentee2)], // currently active, but long after every window of p1
    // mentee-two's one comment inside the windows is deleted (deletion delivered first): it never happened.
    ["issue_comment", { ...commentCreated(issue, 9004, "2025-05-20T10:00:00Z", mentee2), action: "deleted" }],
    ["issue_comment", commentCreated(issue, 9004, "2025-05-20T10:00:00Z", mentee2)],
  ];
  for (const [name, payload] of deliveries) expect((await app.send(name, payload)).status).toBe(200);
  await app.expand();
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

async function api(query = ""): Promise<Response> {
  return fetch(`${app.url}/api/v1/insights${query}`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } });
}

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { DATABASE_URL: database.connectionString } });
  return { code, stdout, stderr };
}

const withoutClock = ({ generatedAt: _, ...rest }: Insights) => rest;

describe("GET /api/v1/insights", () => {
  it("answers the story's retention, too early, comparison cohort and maintainer signal", async () => {
    const response = await api();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Insights;
    expect(body.people).toEqual({ mentees: 3, mentors: 1, menteeSlots: 3 });
    expect(body.alumni).toBe(2);
    expect(body.retention).toEqual([
      { days: 90, eligible: 2, retained: 1, rate: 0.5, tooEarly: 1, noData: 0 },
      { days: 180, eligible: 2, retained: 1, rate: 0.5, tooEarly: 1, noData: 0 },
      { days: 365, eligible: 2, retained: 1, rate: 0.5, tooEarly: 1, noData: 0 },
    ]);
    expect(body.currentlyActive).toEqual({ days: 90, count: 1, rate: 0.5, of: 2 });
    expect(body.comparison).toEqual({
      programsLeftOut: [],
      newcomers: 1,
      retention: [
        { days: 90, eligible: 1, retained: 0, rate: 0, tooEarly: 0, noData: 0 },
        { days: 180, eligible: 1, retained: 1, rate: 1, tooEarly: 0, noData: 0 },
        { days: 365, eligible: 1, retained: 1, rate: 1, tooEarly: 0, noData: 0 },
      ],
      currentlyActive: { count: 0, rate: 0 },
    });
    expect(body.menteeToMaintainer).toEqual({
      count: 1,
      rate: 0.5,
      logins: [mentee.login],
      signals: [{ login: mentee.login, at: "2025-06-01T10:00:00Z", how: "merge", where: `${REPO}#3` }],
    });
    expect(body.dataFrom).toEqual({
      activity: "2025-02-01",
      everyone: "2024-12-01",
      note: "activity known from 2025-02-01; everyone's activity (newcomers) from 2024-12-01",
    });
  });

  it("filters by program and answers CSV", async () => {
    const only = (await (await api("?program=p2")).json()) as Insights;
    expect(only.people).toEqual({ mentees: 1, mentors: 1, menteeSlots: 1 });
    expect(only.comparison.newcomers).toBe(0);
    const csv = await api("?since=2025-01-01&until=2026-01-01&format=csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe(INSIGHTS_CSV_HEADER.join(","));
    expect(lines).toContain("retained,all,90,1,2,0.5,0,0");
    expect(lines).toContain("retained,comparison,180,1,1,1,0,0");
  });

  it("refuses unknown parameters, bad dates and unknown programs; needs the token", async () => {
    expect((await api("?colour=red")).status).toBe(400);
    expect((await api("?since=2025-13-01")).status).toBe(400);
    expect((await api("?program=nope")).status).toBe(404);
    expect((await fetch(`${app.url}/api/v1/insights`)).status).toBe(401);
  });
});

describe("the CLI and the slash command agree with the API", () => {
  it("mentorship insights --format json is the API's JSON", async () => {
    const [{ code, stdout, stderr }, response] = await Promise.all([cli(["insights", "--format", "json"]), api()]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(withoutClock(JSON.parse(stdout) as Insights)).toEqual(withoutClock((await response.json()) as Insights));
  });

  it("csv and table formats carry the same figures", async () => {
    const csv = await cli(["insights", "--format", "csv"]);
    expect(csv.stdout).toBe(await (await api("?format=csv")).text());
    const table = await cli(["insights"]);
    expect(table.stdout).toContain("Retained 90 days after the program");
    expect(table.stdout).toContain("50.0% (1 of 2); 1 too early");
    expect(table.stdout).toContain(`Alumni who became maintainers: ${mentee.login}`);
  });

  it("/mentorship insights from an admin replies with the markdown page, naming nobody by default", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply: { body?: string } = {};
    nock(API)
      .post(`/repos/${REPO}/issues/40/comments`, (b: { body: string }) => {
        reply.body = b.body;
        return true;
      })
      .reply(201, { id: 1 });
    await app.send("issue_comment", commentCreated({ kind: "issue", number: 40, author: mentor }, 9100, "2026-08-10T09:00:00Z", admin, "/mentorship insights"));
    await app.runJobs();
    const markdown = await cli(["insights", "--format", "markdown"]);
    expect(reply.body).toBe(markdown.stdout);
    expect(reply.body).toContain("## Program Impact by Year");
    expect(reply.body).toContain("| Retained 90 days after the program | 50.0% (1 of 2); 1 too early | 0.0% (0 of 1) |");
    for (const login of [mentee.login, mentee2.login, mentee3.login, stranger.login]) expect(reply.body).not.toContain(login);
  });

  it("a mentor asking for insights is refused", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const reply: { body?: string } = {};
    nock(API)
      .post(`/repos/${REPO}/issues/40/comments`, (b: { body: string }) => {
        reply.body = b.body;
        return true;
      })
      .reply(201, { id: 2 });
    await app.send("issue_comment", commentCreated({ kind: "issue", number: 40, author: mentor }, 9101, "2026-08-10T09:00:00Z", mentor, "/mentorship insights"));
    await app.runJobs();
    expect(reply.body).toBe("Sorry, `/mentorship insights` is for the roster's `admins`.");
  });
});

describe("CODEOWNERS and MAINTAINERS: who they name, and since when", () => {
  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const contents = (path: string, sha: string, text: string) =>
    nock(API).get(`/repos/${REPO}/contents/${path.split("/").map(encodeURIComponent).join("%2F")}`).query({ ref: sha }).reply(200, { type: "file", encoding: "base64", content: base64(text) });

  it("a push to the default branch that changes CODEOWNERS names mentee-two a maintainer from that commit", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const sha = "c0de".padEnd(40, "0");
    contents(".github/CODEOWNERS", sha, `* @${mentor.login}\n/docs/ @${mentee2.login}\n`);
    const push = examplePayload("push") as Record<string, any>;
    push.installation = { id: INSTALLATION_ID, node_id: "x" };
    push.repository.full_name = REPO;
    push.repository.default_branch = "main";
    push.ref = "refs/heads/main";
    push.after = sha;
    push.head_commit = { ...push.head_commit, id: sha, timestamp: "2025-07-01T12:00:00Z" };
    push.commits = [{ id: sha, added: [], removed: [], modified: [".github/CODEOWNERS", "README.md"] }];
    expect((await app.send("push", push)).status).toBe(200);
    await app.runJobs();

    const body = (await (await api()).json()) as Insights;
    expect(body.menteeToMaintainer.signals).toEqual([
      { login: mentee.login, at: "2025-06-01T10:00:00Z", how: "merge", where: `${REPO}#3` },
      { login: mentee2.login, at: "2025-07-01T12:00:00Z", how: "codeowners", where: `${REPO}/.github/CODEOWNERS` },
    ]);
  });

  it("the history read dates a name by the first commit that has it, and only once per repository", async () => {
    mockInstallationToken(INSTALLATION_ID);
    const older = "a".repeat(40);
    const newer = "b".repeat(40);
    for (const path of MAINTAINER_FILE_PATHS) {
      const commits = path === "MAINTAINERS.yaml"
        ? [
            { sha: newer, commit: { committer: { date: "2026-03-01T09:00:00Z" } } },
            { sha: older, commit: { committer: { date: "2025-12-01T09:00:00Z" } } },
          ]
        : [];
      nock(API).get(`/repos/${REPO}/commits`).query({ path, per_page: "100" }).reply(200, commits);
    }
    contents("MAINTAINERS.yaml", older, `- github: ${mentor.login}\n`);
    contents("MAINTAINERS.yaml", newer, `- github: ${mentor.login}\n- github: ${mentee3.login}\n`);
    await maintainerFilesJob(app.deps, { installationId: INSTALLATION_ID, repo: REPO, mode: "history" });
    // Already read: a second run asks GitHub nothing (nock would fail on an unmocked call).
    await maintainerFilesJob(app.deps, { installationId: INSTALLATION_ID, repo: REPO, mode: "history" });

    const mentorNamed = await database.db.selectFrom("maintainer_mentions").select("first_seen_at").where("login", "=", mentor.login.toLowerCase()).where("path", "=", "MAINTAINERS.yaml").executeTakeFirstOrThrow();
    expect(mentorNamed.first_seen_at.toISOString()).toBe("2025-12-01T09:00:00.000Z");
    const only = (await (await api("?program=p2")).json()) as Insights;
    expect(only.menteeToMaintainer.signals).toEqual([{ login: mentee3.login, at: "2026-03-01T09:00:00Z", how: "maintainers", where: `${REPO}/MAINTAINERS.yaml` }]);
  });
});
