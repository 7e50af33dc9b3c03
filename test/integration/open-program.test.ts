import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import { StandinOrg } from "../../src/demo/standin-graphql.js";
import type { OpenProgramReport } from "../../src/reports/open-program.js";
import type { ResponseTimeReport } from "../../src/domain/types.js";
import { createTestApp, mockInstallationToken, REPORT_TOKEN, type TestApp } from "../helpers/app.js";
import { mountGraphql } from "../helpers/backfill-story.js";
import { API, BOT, ghComment, mentions, mockApp, mockCommentPages, recordNewComments } from "../helpers/github-comments.js";
import { refreshProgress } from "../../src/jobs/refresh-progress.js";
import { runCli } from "../../src/cli/main.js";
import { prAction } from "../helpers/scenario.js";
import { setLabels, setRepo, setTitle } from "../helpers/payloads.js";
import { createTestDatabase } from "../helpers/db.js";
import { seededRandom, shuffled } from "../helpers/events.js";
import { CLI, GENERATOR, maintainerOf, NOW, OCTOBER, octoberModel, WEBSITE } from "../helpers/open-event-october.js";
import { eventThreads, eventWebhooks } from "../helpers/open-event-story.js";

const HOUR = 3600;
let database: DatabaseHandle;
let app: TestApp;
let nextInstallation = 9100;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => NOW });
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  nock.cleanAll();
  expect(app.errors()).toEqual([]);
});

async function installation(): Promise<number> {
  nextInstallation += 1;
  await upsertInstallation(database.db, { id: nextInstallation, accountLogin: "asyncapi", accountId: 99, accountType: "Organization" });
  await saveRoster(database.db, nextInstallation, octoberModel(), null);
  mockInstallationToken(nextInstallation).persist();
  return nextInstallation;
}

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { DATABASE_URL: database.connectionString } });
  return { code, stdout, stderr };
}

async function eventReport(installationId: number): Promise<OpenProgramReport> {
  const response = await fetch(`${app.url}/api/v1/programs/hacktoberfest-2026/event?installation=${installationId}`, {
    headers: { authorization: `Bearer ${REPORT_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as OpenProgramReport;
}

/** What the test checks of a report: everything but the instants it was made at. */
function figures(report: OpenProgramReport) {
  return {
    totals: report.totals,
    participants: report.participants.map((p) => ({
      login: p.login,
      accepted: p.accepted,
      pending: p.pending,
      reachedGoal: p.reachedGoal,
      flagged: p.flagged,
      prs: p.prs.map((pr) => `${pr.repo}#${pr.number} ${pr.state}${pr.reason ? ` (${pr.reason})` : ""}`),
    })),
    repos: report.repos.map((r) => ({ ...r, waiting: r.waiting.map((w) => `${w.repo}#${w.number} ${w.kind} ${w.ageSeconds / HOUR}h${w.overdue ? " overdue" : ""}`) })),
  };
}

function expectOctoberFigures(report: OpenProgramReport): void {
  // 46 PRs of 21 participants (hacker-21's draft is no participation, nor are the six PRs outside the event).
  expect(report.totals).toEqual({
    participants: 21,
    prs: 46,
    accepted: 29,
    pending: 3,
    open: 4,
    drafts: 1,
    excluded: 9,
    reachedGoal: 3,
    flagged: 2,
    latency: {
      requests: 46,
      answered: 42,
      waiting: 4,
      overdue: 4,
      closedUnanswered: 0,
      // 42 first answers: sorted, the 21st and 22nd are 5 h and 6 h; the 37th and 38th 19 h and 20 h.
      p50Seconds: 5.5 * HOUR,
      p90Seconds: 19.9 * HOUR,
      maxSeconds: 36 * HOUR,
      withinSla: 42 / 46,
    },
  });
  const repo = (name: string) => report.repos.find((r) => r.repo === name)!;
  expect(report.repos.map((r) => r.repo)).toEqual([CLI, GENERATOR, WEBSITE]);
  expect(repo(CLI)).toMatchObject({
    maintainers: ["mira-maintainer", "omar-maintainer"],
    prs: 20,
    accepted: 12,
    pending: 2,
    open: 1,
    drafts: 1,
    excluded: 4,
    // 18 answers 1,1,1,2,2,2,3,4,5,6,8,10,12,12,16,20,24,30 h: p50 between 5 and 6, p90 0.3 of the way from 20 to 24.
    latency: { requests: 19, answered: 18, waiting: 1, overdue: 1, p50Seconds: 5.5 * HOUR, p90Seconds: 21.2 * HOUR, maxSeconds: 30 * HOUR, withinSla: 18 / 19 },
  });
  expect(repo(GENERATOR)).toMatchObject({
    maintainers: ["sam-maintainer"],
    prs: 14,
    accepted: 9,
    pending: 1,
    open: 2,
    drafts: 0,
    excluded: 2,
    // 13 answers 2,3,3,4,4,6,8,10,12,14,19,21,36 h (#201 twice: opened, and pushed after changes).
    latency: { requests: 15, answered: 13, waiting: 2, overdue: 2, p50Seconds: 8 * HOUR, p90Seconds: 20.6 * HOUR, maxSeconds: 36 * HOUR, withinSla: 13 / 15 },
  });
  expect(repo(WEBSITE)).toMatchObject({
    maintainers: ["tara-maintainer"],
    prs: 12,
    accepted: 8,
    pending: 0,
    open: 1,
    drafts: 0,
    excluded: 3,
    // 11 answers 1,2,2,3,3,4,5,6,7,8,9 h.
    latency: { requests: 12, answered: 11, waiting: 1, overdue: 1, p50Seconds: 4 * HOUR, p90Seconds: 8 * HOUR, maxSeconds: 9 * HOUR, withinSla: 11 / 12 },
  });
  const f = figures(report);
  expect(f.repos.flatMap((r) => r.waiting)).toEqual([
    // Ages at 3 November 12:00 UTC.
    "asyncapi/cli#114 ready_for_review 453h overdue",
    "asyncapi/generator#208 ready_for_review 674h overdue",
    "asyncapi/generator#214 ready_for_review 98h overdue",
    "asyncapi/website#311 ready_for_review 64h overdue",
  ]);
  const who = (login: string) => f.participants.find((p) => p.login === login);
  expect(who("hacker-01")).toEqual({
    login: "hacker-01",
    accepted: 4,
    pending: 0,
    reachedGoal: true,
    flagged: false,
    prs: ["asyncapi/cli#101 accepted", "asyncapi/cli#102 accepted", "asyncapi/cli#103 accepted", "asyncapi/cli#104 accepted"],
  });
  expect(who("hacker-02")).toMatchObject({ accepted: 2, pending: 1, reachedGoal: false, prs: ["asyncapi/cli#105 accepted", "asyncapi/cli#106 accepted", "asyncapi/cli#107 pending"] });
  expect(who("hacker-03")).toMatchObject({ accepted: 1, flagged: true, prs: ["asyncapi/cli#108 excluded (spam)", "asyncapi/cli#109 excluded (spam)", "asyncapi/cli#110 accepted"] });
  expect(who("hacker-04")?.prs).toEqual(["asyncapi/cli#111 excluded (invalid)", "asyncapi/cli#112 accepted"]);
  expect(who("hacker-05")?.prs).toEqual(["asyncapi/cli#113 draft", "asyncapi/cli#114 open"]);
  expect(who("hacker-06")?.prs).toEqual(["asyncapi/cli#115 pending"]);
  expect(who("hacker-12")).toMatchObject({ flagged: false, prs: ["asyncapi/generator#207 excluded (spam)", "asyncapi/generator#208 open"] });
  expect(who("hacker-14")?.prs).toEqual(["asyncapi/generator#210 accepted", "asyncapi/generator#211 accepted"]);
  expect(who("hacker-18")).toMatchObject({ flagged: true, accepted: 0 });
  expect(who("hacker-20")?.prs).toEqual(["asyncapi/website#310 accepted", "asyncapi/website#311 open"]);
  expect(who("hacker-21")).toBeUndefined();
  expect(who("kai-mentee")?.prs).toEqual(["asyncapi/website#313 accepted"]);
  expect(f.participants.filter((p) => p.reachedGoal).map((p) => p.login)).toEqual(["hacker-01", "hacker-11", "hacker-17"]);
  expect(f.participants.filter((p) => p.flagged).map((p) => p.login)).toEqual(["hacker-03", "hacker-18"]);
}

describe("an open program replayed: Hacktoberfest 2026", () => {
  it("counts participants, accepted PRs and maintainer latency from signed deliveries, in any delivery order", async () => {
    const id = await installation();
    const deliveries = shuffled(eventWebhooks(OCTOBER, maintainerOf, id), seededRandom(18));
    // Ten of them delivered again (GitHub's redeliveries carry new GUIDs): nothing may count twice.
    for (const [name, payload] of [...deliveries, ...deliveries.slice(0, 10)]) expect((await app.send(name, payload)).status).toBe(200);
    await app.runJobs();

    const report = await eventReport(id);
    expectOctoberFigures(report);
    // The mentee's PR in the website is the mentorship's business too, measured there on its own.
    const bothPrograms = await database.db.selectFrom("requests").select(["program_id", "latency_seconds"]).where("installation_id", "=", id).where("number", "=", 313).orderBy("program_id").execute();
    expect(bothPrograms).toEqual([
      { program_id: "amp-2026", latency_seconds: 9 * HOUR },
      { program_id: "hacktoberfest-2026", latency_seconds: 9 * HOUR },
    ]);

    // The CLI reads the same report (at today's date, when every review period has passed).
    const out = await cli(["event", "--program", "hacktoberfest-2026", "--installation", String(id)]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("Hacktoberfest 2026 (hacktoberfest-2026): 21 participants");
    expect(out.stdout).toMatch(/\nasyncapi\/cli +mira-maintainer, omar-maintainer +20 /);
    expect(out.stdout).toMatch(/\nhacker-03 +1 +0 +2 spam PRs +asyncapi\/cli#108 not counted \(spam\), asyncapi\/cli#109 not counted \(spam\), asyncapi\/cli#110 accepted\n/);
    // The maintainers' latency is the mentor-latency report's, per project and per maintainer.
    const get = (path: string) => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } });
    const latency = (await (await get(`/api/v1/programs/hacktoberfest-2026/response-times?installation=${id}`)).json()) as ResponseTimeReport;
    expect(latency.totals).toEqual(report.totals.latency);
    expect(latency.byMentor.map((m) => [m.login, m.requests, m.answered, m.answeredFirst])).toEqual([
      ["mira-maintainer", 19, 18, 16],
      ["omar-maintainer", 19, 18, 2],
      ["sam-maintainer", 15, 13, 13],
      ["tara-maintainer", 12, 11, 11],
    ]);
    expect((await get(`/api/v1/insights?installation=${id}`)).status).toBe(200);
    const closed = await fetch(`${app.url}/api/v1/programs/amp-2026/event?installation=${id}`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } });
    expect({ status: closed.status, body: await closed.json() }).toEqual({ status: 404, body: { error: 'program "amp-2026" is not an open program (it has no open: true in the roster)' } });
    const mentorship = await cli(["event", "--program", "amp-2026", "--installation", String(id)]);
    expect(mentorship).toMatchObject({ code: 1, stderr: expect.stringContaining('program "amp-2026" is not an open program') });
  });

  it("gives the same figures when the backfill imports the event after it ended, or the half before an install midway", async () => {
    const byWebhooks = await installation();
    for (const [name, payload] of eventWebhooks(OCTOBER, maintainerOf, byWebhooks)) await app.send(name, payload);
    await app.runJobs();

    const byBackfill = await installation();
    const org = new StandinOrg(eventThreads(OCTOBER, maintainerOf));
    mountGraphql(org);
    await sql`select graphile_worker.add_job('backfill', ${JSON.stringify({ installationId: byBackfill })}::json, job_key := ${`backfill:${byBackfill}`})`.execute(database.db);
    await app.runJobs();

    // Installed midway: webhooks brought the second half of October, the backfill the rest (and again the second half).
    const both = await installation();
    const midway = Date.parse("2026-10-16T00:00:00Z");
    for (const [name, payload] of eventWebhooks(OCTOBER.filter((pr) => Date.parse(pr.createdAt) >= midway), maintainerOf, both)) await app.send(name, payload);
    await app.runJobs();
    await sql`select graphile_worker.add_job('backfill', ${JSON.stringify({ installationId: both })}::json, job_key := ${`backfill:${both}`})`.execute(database.db);
    await app.runJobs();

    const imported = await eventReport(byBackfill);
    expectOctoberFigures(imported);
    expect(figures(imported)).toEqual(figures(await eventReport(byWebhooks)));
    expect(figures(await eventReport(both))).toEqual(figures(imported));
  });

  it("keeps one progress comment on the event's tracking issue that names no participant, edited in place", async () => {
    const id = await installation();
    for (const [name, payload] of eventWebhooks(OCTOBER, maintainerOf, id)) await app.send(name, payload);
    await app.runJobs();
    const issue = { repo: "asyncapi/community", number: 900 };
    mockApp();
    mockCommentPages(issue.repo, issue.number, []);
    const posted = recordNewComments(issue.repo, issue.number);

    expect(await refreshProgress(app.deps, id, "hacktoberfest-2026", "generator")).toBe("created");
    expect(posted).toHaveLength(1);
    const body = String(posted[0]!.body.body);
    expect(body.startsWith("<!-- mentorship-tracker:progress:hacktoberfest-2026 -->\n## Hacktoberfest 2026: progress")).toBe(true);
    expect(body).toContain("**21 participants**, 3 of them at the goal · 46 pull requests: 29 accepted, 3 in their review period, 4 waiting for a decision, 1 draft, 9 not counted");
    expect(body).toContain("| asyncapi/cli | 20 | 12 | 2 | 1 | 4 | 5h 30m | 21h 12m |");
    expect(body).toContain("| asyncapi/generator | 14 | 9 | 1 | 2 | 2 | 8h | 20h 36m |");
    expect(body).toContain("| asyncapi/website | 12 | 8 | 0 | 1 | 3 | 4h | 8h |");
    expect(body).toContain("| **All** | 46 | 29 | 3 | 4 | 9 | 5h 30m | 19h 54m |");
    expect(body).toContain("Waiting for a maintainer (4):\n\n- asyncapi/generator#208, waiting 28d 2h · ⚠️ **overdue**\n- asyncapi/cli#114, waiting 18d 21h");
    // Nobody who takes part is named, let alone pinged; nor is who was flagged for spam.
    expect(body).not.toMatch(/hacker-|kai-mentee|spam/i);
    expect(mentions(body)).toEqual([]);

    // Another project's refresh finds the same comment by its id and leaves it alone.
    nock(API).get(`/repos/${issue.repo}/issues/comments/880001`).reply(200, ghComment(issue.repo, issue.number, 880001, body, BOT));
    expect(await refreshProgress(app.deps, id, "hacktoberfest-2026", "cli")).toBe("unchanged");

    // A maintainer merges the PR waiting longest: the comment is edited, not posted again.
    const merged = setTitle(setLabels(setRepo(prAction("closed", 208, "2026-11-03T11:00:00Z", maintainerOf(GENERATOR), OCTOBER.find((pr) => pr.number === 208)!.author, { merged: true }), GENERATOR), []), "Contribution #208");
    merged.installation = { id, node_id: "MDIz" };
    expect((await app.send("pull_request", merged)).status).toBe(200);
    await app.runJobs();
    let patched = "";
    nock(API).get(`/repos/${issue.repo}/issues/comments/880001`).reply(200, ghComment(issue.repo, issue.number, 880001, body, BOT));
    nock(API)
      .patch(`/repos/${issue.repo}/issues/comments/880001`, (sent: { body: string }) => ((patched = sent.body), true))
      .reply(200, () => ghComment(issue.repo, issue.number, 880001, patched, BOT));
    expect(await refreshProgress(app.deps, id, "hacktoberfest-2026", "cli")).toBe("updated");
    expect(patched).toContain("| asyncapi/generator | 14 | 9 | 2 | 1 | 2 |");
    expect(patched).toContain("Waiting for a maintainer (3):");
    expect(posted).toHaveLength(1);
  });
});
