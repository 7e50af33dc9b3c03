import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import { createTestApp, REPORT_TOKEN, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { CSV_HEADER_LINE, NOW, seedReportWorld } from "../helpers/reports.js";
import { INSTALLATION_ID, worldModel } from "../helpers/scenario.js";

/** A mentor "login" no real roster could hold, to see CSV escaping and formula-prefixing end to end. */
const HOSTILE = '=HYPERLINK("http://evil.example","click, me")';

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => NOW });
  await seedReportWorld(database.db);
  const amp = worldModel().programs[0]!;
  const project = amp.projects[0]!;
  // A second org: one program with hostile text, one whose id the third org uses too.
  await upsertInstallation(database.db, { id: 7002, accountLogin: "evil-org", accountId: 98, accountType: "Organization" });
  await saveRoster(
    database.db,
    7002,
    worldModel({
      admins: [],
      programs: [
        { ...amp, id: "csv-2026", projects: [{ ...project, repos: ["evil-org/x"], mentors: [{ id: 1, login: HOSTILE }, { id: 2, login: "-2+3" }] }] },
        { ...amp, id: "dup-2026", projects: [] },
      ],
    }),
    null,
  );
  await upsertInstallation(database.db, { id: 7003, accountLogin: "other-org", accountId: 97, accountType: "Organization" });
  await saveRoster(database.db, 7003, worldModel({ admins: [], programs: [{ ...amp, id: "dup-2026", projects: [] }] }), null);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
});

function get(path: string, token: string | null = REPORT_TOKEN, init: RequestInit = {}): Promise<Response> {
  return fetch(`${app.url}${path}`, { ...init, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

const REPORT = "/api/v1/programs/amp-2026/response-times";

describe("authentication", () => {
  it.each([
    ["no Authorization header", null, 'Bearer realm="mentorship-tracker"'],
    ["a wrong token", "not-the-token", 'Bearer realm="mentorship-tracker", error="invalid_token"'],
    ["the right token with one more character", `${REPORT_TOKEN}x`, 'Bearer realm="mentorship-tracker", error="invalid_token"'],
  ])("%s is 401 with a Bearer challenge", async (_label, token, challenge) => {
    for (const path of ["/api/v1/programs", REPORT, "/api/v1/programs/no-such-program/response-times", "/api/v1/anything"]) {
      const response = await get(path, token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(challenge);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
  });

  it("another scheme is not a token", async () => {
    const response = await fetch(`${app.url}${REPORT}`, { headers: { authorization: `Basic ${Buffer.from(`x:${REPORT_TOKEN}`).toString("base64")}` } });
    expect(response.status).toBe(401);
  });

  it("with no tokens configured, nothing gets in", async () => {
    const tokens = app.deps.reportTokens;
    app.deps.reportTokens = [];
    try {
      expect((await get(REPORT)).status).toBe(401);
      expect((await get(REPORT, "")).status).toBe(401);
    } finally {
      app.deps.reportTokens = tokens;
    }
  });

  it("any of several configured tokens works", async () => {
    const tokens = app.deps.reportTokens;
    app.deps.reportTokens = ["first-token", REPORT_TOKEN];
    try {
      expect((await get(REPORT, "first-token")).status).toBe(200);
      expect((await get(REPORT)).status).toBe(200);
    } finally {
      app.deps.reportTokens = tokens;
    }
  });

  it("/healthz needs no token", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("GET /api/v1/programs", () => {
  it("lists every program of every installation", async () => {
    const response = await get("/api/v1/programs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const dates = { starts: "2026-06-15", ends: "2026-10-17" };
    expect(await response.json()).toEqual({
      programs: [
        { id: "amp-2026", name: "AsyncAPI Maintainership Program 2026", ...dates, installationId: INSTALLATION_ID, account: "asyncapi" },
        { id: "csv-2026", name: "AsyncAPI Maintainership Program 2026", ...dates, installationId: 7002, account: "evil-org" },
        { id: "dup-2026", name: "AsyncAPI Maintainership Program 2026", ...dates, installationId: 7002, account: "evil-org" },
        { id: "dup-2026", name: "AsyncAPI Maintainership Program 2026", ...dates, installationId: 7003, account: "other-org" },
      ],
    });
  });
});

describe("GET /api/v1/programs/:id/response-times", () => {
  it("is the report: the program's numbers, worked out by hand", async () => {
    const response = await get(REPORT);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, any>;
    expect(Object.keys(body)).toEqual([
      "program",
      "generatedAt",
      "since",
      "until",
      "sinceDate",
      "untilDate",
      "clock",
      "workingDaySeconds",
      "slaSeconds",
      "totals",
      "byProject",
      "byMentor",
      "byMentee",
      "waiting",
    ]);
    expect(body).toMatchObject({ program: "amp-2026", generatedAt: "2026-08-10T09:30:00Z", clock: "calendar", workingDaySeconds: null, slaSeconds: 48 * 3600 });
    // #101 answered in 1 h, #102 in 2 h, #103 waiting 5 d 30 min (past the 48 h SLA).
    const all = { requests: 3, answered: 2, waiting: 1, overdue: 1, closedUnanswered: 0, p50Seconds: 5400, p90Seconds: 6840, maxSeconds: 7200, withinSla: 2 / 3 };
    expect(body.totals).toEqual(all);
    expect(body.byProject).toEqual([{ id: "cli", title: "AsyncAPI CLI", ...all }]);
    // Both mentors answer for both mentees; each answered one request first.
    expect(body.byMentor).toEqual([
      { login: "mentor-one", answeredFirst: 1, ...all },
      { login: "mentor-two", answeredFirst: 1, ...all },
    ]);
    expect(body.byMentee).toEqual([
      { login: "mentee-one", requests: 2, answered: 1, waiting: 1, overdue: 1, closedUnanswered: 0, p50Seconds: 3600, p90Seconds: 3600, maxSeconds: 3600, withinSla: 1 / 2 },
      { login: "mentee-two", requests: 1, answered: 1, waiting: 0, overdue: 0, closedUnanswered: 0, p50Seconds: 7200, p90Seconds: 7200, maxSeconds: 7200, withinSla: 1 },
    ]);
    expect(body.waiting).toEqual([
      {
        mentee: "mentee-one",
        repo: "asyncapi/cli",
        number: 103,
        url: "https://github.com/asyncapi/cli/pull/103",
        kind: "ready_for_review",
        openedAt: "2026-08-05T09:00:00Z",
        ageSeconds: 5 * 86400 + 1800,
        overdue: true,
      },
    ]);
  });

  it("filters: since and until are whole UTC days, until inclusive", async () => {
    const since = (await (await get(`${REPORT}?since=2026-07-02`)).json()) as Record<string, any>;
    expect(since.since).toBe("2026-07-02T00:00:00Z");
    expect(since.totals.requests).toBe(2);
    const until = (await (await get(`${REPORT}?until=2026-07-01`)).json()) as Record<string, any>;
    expect(until.until).toBe("2026-07-02T00:00:00Z");
    // The day named, for headers: the exclusive instant is the day after.
    expect(until.untilDate).toBe("2026-07-01");
    expect(until.totals.requests).toBe(1);
    const instant = (await (await get(`${REPORT}?since=2026-07-01T09%3A00%3A01Z`)).json()) as Record<string, any>;
    expect(instant.totals.requests).toBe(2);
  });

  it("filters: project and mentor", async () => {
    const mentor = (await (await get(`${REPORT}?mentor=Mentor-Two&project=cli`)).json()) as Record<string, any>;
    expect(mentor.byMentor.map((m: { login: string }) => m.login)).toEqual(["mentor-two"]);
  });

  it("404 naming an unknown project or mentor filter, rather than a report of zeros", async () => {
    const project = await get(`${REPORT}?project=website`);
    expect(project.status).toBe(404);
    expect(await project.json()).toEqual({ error: 'no project "website" in program "amp-2026"', parameter: "project" });
    const mentor = await get(`${REPORT}?mentor=@nobody-here`);
    expect(mentor.status).toBe(404);
    expect(await mentor.json()).toEqual({ error: '"@nobody-here" mentors no project in program "amp-2026"', parameter: "mentor" });
  });

  it("400 for a malformed path segment", async () => {
    const response = await get("/api/v1/programs/%ZZ/response-times");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed path segment "%ZZ"', parameter: "program" });
  });

  it("empty parameters, as a form leaves them, are no filter", async () => {
    const response = await get(`${REPORT}?project=&mentor=&since=&until=&format=&installation=`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await response.json()) as Record<string, any>;
    // The whole program, as in the unfiltered report above: 3 requests of both mentors, no date bounds.
    expect(body).toMatchObject({ since: null, until: null, totals: { requests: 3, answered: 2, waiting: 1, overdue: 1 } });
    expect(body.byMentor.map((m: { login: string }) => m.login)).toEqual(["mentor-one", "mentor-two"]);
  });

  it("404 for an unknown program", async () => {
    const response = await get("/api/v1/programs/gsoc-2030/response-times");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'unknown program "gsoc-2030"' });
  });

  it.each([
    ["since=yesterday", "since"],
    ["since=2026-02-30", "since"],
    ["until=2026-07-01T10:00:00", "until"],
    ["since=2026-07-02&until=2026-07-01", "until"],
    ["format=xml", "format"],
    ["sinse=2026-07-01", "sinse"],
    ["project=a&project=b", "project"],
    ["installation=seven", "installation"],
  ])("400 naming the parameter for ?%s", async (query, parameter) => {
    const response = await get(`${REPORT}?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringContaining(`"${parameter}"`), parameter });
  });

  it("a program id two installations share needs installation=", async () => {
    const response = await get("/api/v1/programs/dup-2026/response-times");
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: expect.stringContaining("installation=<id>"), installations: [7002, 7003] });
    const chosen = await get("/api/v1/programs/dup-2026/response-times?installation=7003");
    expect(chosen.status).toBe(200);
  });

  it("405 for anything but GET", async () => {
    const response = await get(REPORT, REPORT_TOKEN, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("404 for an unknown path under /api/v1, once authenticated", async () => {
    expect((await get("/api/v1/programs/amp-2026/nothing")).status).toBe(404);
  });
});

describe("CSV", () => {
  it("one row per mentor, as an attachment", async () => {
    const response = await get(`${REPORT}?format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="amp-2026-response-times.csv"');
    expect(await response.text()).toBe(
      [
        CSV_HEADER_LINE,
        "amp-2026,mentor-one,3,2,1,1,5400,6840,7200,0.6666666666666666,1,0",
        "amp-2026,mentor-two,3,2,1,1,5400,6840,7200,0.6666666666666666,1,0",
        "",
      ].join("\r\n"),
    );
  });

  it("escapes quotes and commas, and makes formulas text, from the database to the download", async () => {
    const text = await (await get("/api/v1/programs/csv-2026/response-times?format=csv")).text();
    const rows = text.split("\r\n");
    expect(rows).toEqual([
      CSV_HEADER_LINE,
      // Mentors in login order: "-2+3" sorts before "=HYPERLINK…".
      "csv-2026,'-2+3,0,0,0,0,,,,,0,0",
      `csv-2026,"'=HYPERLINK(""http://evil.example"",""click, me"")",0,0,0,0,,,,,0,0`,
      "",
    ]);
  });
});
