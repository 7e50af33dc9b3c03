/**
 * `mentorship privacy export|forget` on data that came through the real path (signed deliveries →
 * database → derivation), with a renamed account: export finds every row by id, forget leaves nothing
 * to find and every total as it was, also after the installation is derived again from scratch.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { runCli } from "../../src/cli/main.js";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { ensureSearches } from "../../src/db/backfill.js";
import { addJob } from "../../src/db/events.js";
import { loadModel, saveRoster } from "../../src/db/rosters.js";
import { keepForgotten } from "../../src/domain/privacy.js";
import { planSearches } from "../../src/domain/backfill-plan.js";
import { responseTimeReport } from "../../src/reports/response-times.js";
import { createTestApp, deliverStory, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { ghUser } from "../helpers/payloads.js";
import { commentCreated, INSTALLATION_ID, issueAction, mentee, mentee2, mentor, mentor2, prOpened, reviewSubmitted, seedWorld, worldModel } from "../helpers/scenario.js";

const NOW = new Date("2026-07-20T10:00:00Z");
const ORG_ACCOUNT = { login: "asyncapi", type: "Organization" };
const renamed = ghUser("mentee-two-renamed", { id: mentee2.id });

let database: DatabaseHandle;
let app: TestApp;

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { DATABASE_URL: database.connectionString } });
  return { code, stdout, stderr };
}

async function exported(login: string) {
  const { code, stdout, stderr } = await cli(["privacy", "export", login]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(stdout) as { ids: number[]; rows: Record<string, unknown[]> };
}

const figures = async () => {
  const report = await responseTimeReport(database.db, INSTALLATION_ID, "amp-2026", {}, NOW);
  // Rows sort by name, and the forgotten person's name differs: compare the figures as a set.
  const rows = (list: Array<{ login: string }>) => list.map(({ login: _l, ...stats }) => JSON.stringify(stats)).sort();
  return { totals: report.totals, mentees: rows(report.byMentee), mentors: rows(report.byMentor) };
};

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => NOW });
  await seedWorld(database.db);
  const task = { kind: "issue" as const, number: 30, author: mentor, labels: ["mentorship"] };
  const deliveries: Array<[string, unknown]> = [
    ["issues", issueAction("labeled", 30, "2026-06-20T09:00:00Z", mentor, { labels: ["mentorship"], label: "mentorship" })],
    ["issues", issueAction("assigned", 30, "2026-06-20T09:05:00Z", mentor, { labels: ["mentorship"], assignee: mentee2 })],
    ["pull_request", prOpened(60, "2026-07-01T09:00:00Z", mentee2, { body: "Closes #30" })],
    ["pull_request_review", reviewSubmitted(60, 7001, "2026-07-01T11:00:00Z", mentor2, mentee2, "commented")],
    ["pull_request", prOpened(61, "2026-07-02T09:00:00Z", mentee)],
    ["issue_comment", commentCreated({ kind: "pr", number: 61, author: mentee }, 8002, "2026-07-02T12:00:00Z", mentee, "@mentee-two can you look?")],
    ["pull_request_review", reviewSubmitted(61, 7002, "2026-07-02T13:00:00Z", mentor, mentee, "approved")],
    // The account was renamed: the same id, a new login.
    ["issue_comment", commentCreated(task, 8001, "2026-07-15T09:00:00Z", renamed, "Any news?")],
  ];
  await deliverStory(app, deliveries);
  await ensureSearches(database.db, INSTALLATION_ID, planSearches(worldModel(), ORG_ACCOUNT));
  // A mentor's evaluation of them and a check-in with them (their own tests cover how these are recorded).
  const pair = { installation_id: INSTALLATION_ID, program_id: "amp-2026", mentee_id: mentee2.id, mentee_login: mentee2.login };
  await database.db.insertInto("evaluations").values({ ...pair, round_id: "midterm", side: "mentor", author_id: mentor2.id, author_login: mentor2.login,
    outcome: "pass", rating: null, note: "steady progress", extend_to: null, recorded_at: "2026-07-16T10:00:00Z" }).execute();
  await database.db.insertInto("check_ins").values({ ...pair, project_id: "cli", mentor_id: mentor.id, mentor_login: mentor.login, at: "2026-07-16T11:00:00Z",
    source: "api", source_key: null, note: null }).execute();
}, 60_000);

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  expect(app.errors()).toEqual([]);
});

describe("mentorship privacy", () => {
  it("export finds every row about a person by either login, through their id", async () => {
    const byOld = await exported("mentee-two");
    const byNew = await exported("Mentee-Two-Renamed");
    expect(byOld.ids).toEqual([mentee2.id]);
    expect(byNew.rows).toEqual(byOld.rows);
    expect(byOld.rows["roster"]).toEqual([{ installation_id: INSTALLATION_ID, program: "amp-2026", project: "cli", role: "mentee" }]);
    expect(byOld.rows["enrolments"]).toHaveLength(1);
    expect(byOld.rows["tasks"]).toHaveLength(1);
    expect(byOld.rows["evaluations"]).toMatchObject([{ side: "mentor", note: "steady progress", author_login: "mentor-two" }]);
    expect(byOld.rows["check_ins"]).toMatchObject([{ mentor_login: "mentor-one" }]);
    // Their mentor's export holds the evaluation they wrote.
    expect((await exported("mentor-two")).rows["evaluations"]).toHaveLength(1);
    expect((byOld.rows["backfill_cursors"] as Array<{ scope: string }>).map((c) => c.scope.split(" from:")[0]).sort()).toEqual([
      "search:org:asyncapi involves:mentee-two",
      "search:org:asyncapi reviewed-by:mentee-two",
    ]);
    expect(byOld.rows["requests"]!.length).toBe(2);
    // Their PR and its review, the assignment, the comment they wrote as renamed, the mention of them.
    const kinds = (byOld.rows["events"] as Array<{ kind: string; actor_login: string }>).map((e) => e.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(["comment_created", "issue_assigned", "pr_opened", "review_submitted"]));
    expect((byOld.rows["events"] as Array<{ actor_login: string }>).some((e) => e.actor_login === "mentee-two-renamed")).toBe(true);
    expect((byOld.rows["events"] as Array<{ data: { mentions?: string[] } }>).some((e) => e.data.mentions?.includes("mentee-two"))).toBe(true);
    expect((await exported("nobody-at-all")).rows["events"]).toBeUndefined();
  });

  it("forget asks for --yes and changes nothing without it", async () => {
    const before = await exported("mentee-two");
    const { code, stderr } = await cli(["privacy", "forget", "mentee-two"]);
    expect(code).toBe(1);
    expect(stderr).toContain("run again with --yes");
    expect(await exported("mentee-two")).toEqual({ ...before, generatedAt: expect.any(String) });
  });

  it("forget --yes leaves nothing to export and every figure as it was, even derived again; a second run changes nothing", async () => {
    const before = await figures();
    const { code, stdout } = await cli(["privacy", "forget", "mentee-two", "--yes"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mentee-two is now "forgotten person 1" \(id -1\); rows changed: events 5, requests 2, tasks 1, evaluations 1, check_ins 1, enrolments 1, people 1, backfill_cursors 2, rosters 1\n/);

    for (const login of ["mentee-two", "mentee-two-renamed"]) {
      const after = await exported(login);
      expect(after.ids).toEqual([]);
      expect(Object.values(after.rows).flat()).toEqual([]);
    }
    expect(await figures()).toEqual(before);
    // What others hold stays theirs, about nobody in particular.
    expect((await exported("mentor-two")).rows["evaluations"]).toMatchObject([{ mentee_id: -1, mentee_login: "forgotten person 1", note: "steady progress" }]);
    // The backfill plans no search for someone who has no account left; the others' searches stay.
    const searches = planSearches((await loadModel(database.db, INSTALLATION_ID))!, ORG_ACCOUNT).map((s) => s.qualifiers);
    expect(searches.filter((q) => q.includes("involves:"))).toEqual(["org:asyncapi involves:mentee-one"]);
    expect((await exported("mentee-one")).rows["backfill_cursors"]).toHaveLength(2);

    await addJob(database.db, { task: "rederive-installation", payload: { installationId: INSTALLATION_ID } });
    await app.runJobs();
    expect(await figures()).toEqual(before);
    const report = await responseTimeReport(database.db, INSTALLATION_ID, "amp-2026", {}, NOW);
    expect(report.byMentee.map((m) => m.login)).toEqual(["forgotten person 1", "mentee-one"]);

    // The roster file drops them, as the forget output asks; loading it (as load-roster does) keeps the
    // anonymous person enrolled where they were, so their history keeps counting after re-deriving.
    const withoutThem = worldModel();
    withoutThem.programs[0]!.projects[0]!.mentees = [{ id: mentee.id, login: mentee.login }];
    await saveRoster(database.db, INSTALLATION_ID, keepForgotten(await loadModel(database.db, INSTALLATION_ID), withoutThem), null);
    await addJob(database.db, { task: "rederive-installation", payload: { installationId: INSTALLATION_ID } });
    await app.runJobs();
    expect(await figures()).toEqual(before);

    expect(await cli(["privacy", "forget", "mentee-two", "--yes"])).toMatchObject({ code: 0, stdout: "mentee-two: nothing stored about them; nothing to forget\n" });
    expect(await figures()).toEqual(before);
  });

  it("refuses what is not a login", async () => {
    expect(await cli(["privacy", "export", "not a login"])).toMatchObject({ code: 2 });
    expect(await cli(["privacy", "erase", "x"])).toMatchObject({ code: 2 });
  });
});
