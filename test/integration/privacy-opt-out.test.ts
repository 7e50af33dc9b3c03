/**
 * Opted-out people through the real path: signed deliveries → database → derivation → the report API
 * (JSON, CSV), the progress comment and the nudges. They are counted, and named nowhere.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { runCli } from "../../src/cli/main.js";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveRoster } from "../../src/db/rosters.js";
import { type InstallationModel, programWindow } from "../../src/domain/program.js";
import { appIdentity } from "../../src/github/comments.js";
import { postNudges } from "../../src/jobs/nudges.js";
import { refreshProgress } from "../../src/jobs/refresh-progress.js";
import { createTestApp, deliverStory, mockInstallationToken, REPORT_TOKEN, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { mentions, mockApp, mockCommentPages, recordNewComments } from "../helpers/github-comments.js";
import {
  commentCreated,
  INSTALLATION_ID,
  issueAction,
  mentee,
  mentee2,
  mentor,
  mentor2,
  prOpened,
  reviewSubmitted,
  seedWorld,
  worldModel,
} from "../helpers/scenario.js";

const TRACKING = { repo: "asyncapi/community", number: 2001 };
const HIDDEN = /mentee-two|mentor-two/i;
const HIDDEN_IDS = [mentee2.id, mentor2.id].map(String);

let database: DatabaseHandle;
let app: TestApp;
let clock = new Date("2026-07-17T10:00:00Z");

/** The world, with a program a year earlier where both mentors mentored and mentee-two was a mentee too: insights name returning mentors. */
function withLastYear(model: InstallationModel): InstallationModel {
  const amp = model.programs[0]!;
  const lastYear = { ...amp, id: "amp-2025", name: "AMP 2025", starts: "2025-06-16", ends: "2025-10-18", window: programWindow("2025-06-16", "2025-10-18", "UTC"),
    milestones: [], projects: [{ ...amp.projects[0]!, trackingIssue: null, mentees: [{ id: mentee2.id, login: mentee2.login }] }] };
  return { ...model, programs: [lastYear, amp] };
}

function optedOut(): InstallationModel {
  return withLastYear(worldModel({
    privacy: {
      optOut: [
        { id: mentee2.id, login: mentee2.login },
        { id: mentor2.id, login: mentor2.login },
      ],
      payloadRetentionSeconds: 365 * 86_400,
    },
  }));
}

const report = async (format: "json" | "csv") => {
  const response = await fetch(`${app.url}/api/v1/programs/amp-2026/response-times?format=${format}`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
};

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  await seedWorld(database.db, optedOut());
  const task = { kind: "issue" as const, number: 30, author: mentor, labels: ["mentorship"] };
  const deliveries: Array<[string, unknown]> = [
    ["issues", issueAction("labeled", 30, "2026-06-20T09:00:00Z", mentor, { labels: ["mentorship"], label: "mentorship", title: "Add --watch" })],
    ["issues", issueAction("assigned", 30, "2026-06-20T09:05:00Z", mentor, { labels: ["mentorship"], assignee: mentee2, title: "Add --watch" })],
    ["pull_request", prOpened(60, "2026-07-01T09:00:00Z", mentee2, { body: "Closes #30" })],
    ["pull_request_review", reviewSubmitted(60, 7001, "2026-07-01T11:00:00Z", mentor2, mentee2, "commented")],
    ["pull_request", prOpened(61, "2026-07-02T09:00:00Z", mentee)],
    ["pull_request_review", reviewSubmitted(61, 7002, "2026-07-02T10:00:00Z", mentor, mentee, "approved")],
    ["issue_comment", commentCreated(task, 8001, "2026-07-15T09:00:00Z", mentee2, "Any news, @mentor-two?")],
  ];
  await deliverStory(app, deliveries);
  mockInstallationToken(INSTALLATION_ID);
  mockApp();
  await ((await app.probot.auth(INSTALLATION_ID)) as unknown as { auth(o: object): Promise<unknown> }).auth({ type: "installation" });
  await appIdentity(app.deps);
}, 60_000);

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  expect(app.errors()).toEqual([]);
});

describe("an opted-out mentee and mentor", () => {
  it("are counted in the report's totals and rows, and named nowhere in its JSON or CSV", async () => {
    const json = await report("json");
    const csv = await report("csv");
    expect(json).not.toMatch(HIDDEN);
    expect(csv).not.toMatch(HIDDEN);
    const shown = JSON.parse(json);
    expect(shown.byMentee.map((m: { login: string }) => m.login)).toEqual(["mentee-one", "opted-out mentee 1"]);
    expect(shown.byMentor.map((m: { login: string }) => m.login)).toEqual(["mentor-one", "opted-out mentor 2"]);
    expect(shown.waiting.map((w: { mentee: string }) => w.mentee)).toEqual(["opted-out mentee 1"]);

    // The same stored data under a roster without opt-outs: every figure the same, only names differ.
    await saveRoster(database.db, INSTALLATION_ID, withLastYear(worldModel()), null);
    const named = JSON.parse(await report("json"));
    await saveRoster(database.db, INSTALLATION_ID, optedOut(), null);
    expect(named.totals).toEqual(shown.totals);
    expect(shown.totals).toMatchObject({ requests: 3, answered: 2, waiting: 1 });
    const figures = (rows: Array<{ login: string }>) => rows.map(({ login: _login, ...rest }) => rest);
    expect(figures(shown.byMentee)).toEqual(figures(named.byMentee));
    expect(figures(shown.byMentor)).toEqual(figures(named.byMentor));
    expect(named.byMentee.map((m: { login: string }) => m.login)).toEqual(["mentee-one", "mentee-two"]);
  });

  it("are labelled in the CLI's table and markdown, and in the insights API (JSON and CSV) and CLI", async () => {
    const cli = async (argv: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { DATABASE_URL: database.connectionString } });
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      return stdout;
    };
    for (const format of ["table", "md", "csv", "json"]) {
      const out = await cli(["report", "--program", "amp-2026", "--format", format]);
      expect(out).not.toMatch(HIDDEN);
      // The CSV is per mentor.
      expect(out).toContain(format === "csv" ? "opted-out mentor 2" : "opted-out mentee 1");
    }
    for (const format of ["json", "csv"]) {
      const response = await fetch(`${app.url}/api/v1/insights?format=${format}`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toMatch(HIDDEN);
      if (format === "json") expect(JSON.parse(text).returningMentors).toMatchObject({ count: 2, logins: ["mentor-one", "opted-out mentor 2"] });
    }
    for (const format of ["table", "json", "markdown"]) expect(await cli(["insights", "--format", format])).not.toMatch(HIDDEN);
  });

  it("appear in the progress comment by their labels, never by login or id", async () => {
    mockCommentPages(TRACKING.repo, TRACKING.number, []);
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("created");
    const body = String(posted[0]!.body.body);
    expect(body).not.toMatch(HIDDEN);
    for (const id of HIDDEN_IDS) expect(body).not.toContain(id);
    expect(body).toContain("**Mentees:** **mentee-one**, **opted-out mentee 1**");
    expect(body).toContain("**Mentors:** **mentor-one**, **opted-out mentor 2**");
    expect(body).toMatch(/asyncapi\/cli#30 \| [^|]+ \| \*\*opted-out mentee 1\*\* \| in progress/);
    expect(body).toContain("from **opted-out mentee 1**, waiting");
  });

  it("are not mentioned nor named in a nudge; the other mentor still is pinged", async () => {
    const posted = recordNewComments(TRACKING.repo, TRACKING.number, 990_001);
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBeGreaterThan(0);
    const overdue = posted.map((p) => String(p.body.body)).find((b) => b.includes("nudge-overdue"));
    expect(overdue).toContain("**opted-out mentee 1** has been waiting");
    for (const p of posted) {
      const body = String(p.body.body);
      expect(body).not.toMatch(HIDDEN);
      for (const id of HIDDEN_IDS) expect(body).not.toContain(id);
      expect(mentions(body)).toEqual(["mentor-one"]);
    }
  });
});
