/**
 * Issue 14 through the real path (signed delivery → database → worker → report) on the multi-program
 * roster built from AsyncAPI's real rosters (test/fixtures/rosters/asyncapi-alumni.yml), with its
 * fictional stand-ins. One project is added for one story: a person who mentors cli and is, in the
 * same program, a mentee of another project (real rosters have that across programs; it is the same
 * rule within one).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveTrackingIssue } from "../../src/db/comments.js";
import type { InstallationModel } from "../../src/domain/program.js";
import { menteeActivity } from "../../src/reports/progress-data.js";
import { responseTimeReport } from "../../src/reports/response-times.js";
import { alumniModel, alumnus } from "../helpers/alumni-roster.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { ghBot, setRepo, type GhUser } from "../helpers/payloads.js";
import { commentCreated, INSTALLATION_ID, issueAction, seedWorld } from "../helpers/scenario.js";
import { namingOf } from "../../src/domain/privacy.js";

const alumnaMentor = alumnus("alumna-mentor");
const alumnusMentor = alumnus("alumnus-mentor");
const cliMentee = alumnus("cli-mentee");
const generatorMentor = alumnus("generator-mentor");
const generatorMentee = alumnus("generator-mentee");
const docsWriter = alumnus("docs-writer-a");
const docsMentor = alumnus("docs-mentor");
const machine = alumnus("org-machine");
const trackerBot = ghBot("mentorship-tracker");

function world(): InstallationModel {
  const model = alumniModel();
  const amp = model.programs.find((p) => p.id === "amp-2026")!;
  amp.projects.push({
    id: "studio",
    title: "AsyncAPI Studio",
    repos: ["asyncapi/studio"],
    trackingIssue: null,
    mentors: [{ id: generatorMentor.id, login: generatorMentor.login }],
    mentees: [{ id: alumnaMentor.id, login: alumnaMentor.login }],
  });
  return model;
}

let database: DatabaseHandle;
let app: TestApp;
let commentId = 14_000;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await seedWorld(database.db, world());
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
});

async function send(name: string, payload: object, repo?: string): Promise<void> {
  const response = await app.send(name, repo ? setRepo(payload, repo) : payload);
  expect(response.status).toBe(200);
}

const comment = (thread: { number: number; author: GhUser; labels?: string[] }, at: string, user: GhUser, body?: string, repo?: string) =>
  send("issue_comment", commentCreated({ kind: "issue", ...thread }, ++commentId, at, user, body), repo);

async function requestsOn(repo: string, number: number) {
  return database.db
    .selectFrom("requests")
    .select(["program_id", "project_id", "mentee_login", "kind", "responder_login", "latency_seconds", "closed_unanswered_at"])
    .where("repo", "=", repo)
    .where("number", "=", number)
    .orderBy("opened_at")
    .execute();
}

describe("alumni, machine users, docs projects and questions anywhere, through signed deliveries", () => {
  beforeAll(async () => {
    // Item 2: a 2023 mentee, now a 2026 mentor, opens and labels a task, then assigns herself and the mentee.
    await send("issues", issueAction("opened", 301, "2026-07-01T09:00:00Z", alumnaMentor, { labels: ["mentorship"] }));
    await send("issues", issueAction("assigned", 301, "2026-07-01T09:10:00Z", alumnaMentor, { labels: ["mentorship"], assignee: alumnaMentor }));
    await send("issues", issueAction("assigned", 301, "2026-07-01T09:20:00Z", alumnaMentor, { labels: ["mentorship"], assignee: cliMentee }));

    // Item 5: the machine user's welcome comment 19 s after the mentee's issue answers nothing.
    await send("issues", issueAction("opened", 302, "2026-06-16T09:00:00Z", cliMentee));
    await comment({ number: 302, author: cliMentee }, "2026-06-16T09:00:19Z", machine, "Welcome! Thanks for opening this issue.");
    await comment({ number: 302, author: cliMentee }, "2026-06-16T13:00:00Z", alumnusMentor);

    // Item 11: "can I take this?" to a mentor, on the mentor's issue in a repo no project lists.
    await send("issues", issueAction("opened", 303, "2026-06-20T08:00:00Z", alumnusMentor), "asyncapi/spec");
    await comment({ number: 303, author: alumnusMentor }, "2026-06-20T09:00:00Z", cliMentee, "@alumnus-mentor can I take this?", "asyncapi/spec");
    await comment({ number: 303, author: alumnusMentor }, "2026-06-20T11:00:00Z", alumnusMentor, "Sure, go ahead", "asyncapi/spec");

    // Item 1: the tracking issue the app opened for generator (no trackingIssue in the roster).
    await saveTrackingIssue(database.db, { installationId: INSTALLATION_ID, programId: "amp-2026", projectId: "generator" }, { repo: "asyncapi/community", number: 304 });
    await comment({ number: 304, author: trackerBot }, "2026-06-22T09:00:00Z", generatorMentee, "Where do I find the template tests?", "asyncapi/community");
    await comment({ number: 304, author: trackerBot }, "2026-06-22T15:00:00Z", generatorMentor, undefined, "asyncapi/community");

    // Item 6: one issue closed by its mentee after 49 h of silence, one closed after 2 h.
    await send("issues", issueAction("opened", 305, "2026-07-01T09:00:00Z", cliMentee));
    await send("issues", issueAction("closed", 305, "2026-07-03T10:00:00Z", cliMentee));
    await comment({ number: 305, author: cliMentee }, "2026-07-03T12:00:00Z", alumnusMentor, "Sorry, missed this");
    await send("issues", issueAction("opened", 306, "2026-07-01T09:00:00Z", cliMentee));
    await send("issues", issueAction("closed", 306, "2026-07-01T11:00:00Z", cliMentee));

    // Item 10: a docs writer's issue in a repo their project (no repos) never named.
    await send("issues", issueAction("opened", 307, "2023-03-01T09:00:00Z", docsWriter), "asyncapi/website");
    await comment({ number: 307, author: docsWriter }, "2023-03-01T12:00:00Z", docsMentor, undefined, "asyncapi/website");

    // Item 3: the cli mentor, a studio mentee, answers on cli's task.
    await send("issues", issueAction("opened", 308, "2026-06-25T08:00:00Z", alumnusMentor, { labels: ["mentorship"] }));
    await send("issues", issueAction("assigned", 308, "2026-06-25T08:05:00Z", alumnusMentor, { labels: ["mentorship"], assignee: cliMentee }));
    await comment({ number: 308, author: alumnusMentor, labels: ["mentorship"] }, "2026-06-25T09:00:00Z", cliMentee, "Is the flag called --watch?");
    await comment({ number: 308, author: alumnusMentor, labels: ["mentorship"] }, "2026-06-25T10:00:00Z", alumnaMentor, "Yes, --watch");

    await app.runJobs();
  });

  it("a task opened in 2026 by a former mentee is AMP 2026's, with the assigned mentee of that program (item 2)", async () => {
    const task = await database.db.selectFrom("tasks").select(["program_id", "project_id", "mentee_login"]).where("number", "=", 301).executeTakeFirst();
    expect(task).toEqual({ program_id: "amp-2026", project_id: "cli", mentee_login: "cli-mentee" });
  });

  it("each request lands in the right project, answered by the right person", async () => {
    const answered = (program: string, project: string, mentee: string, kind: string, by: string, seconds: number) => ({
      program_id: program,
      project_id: project,
      mentee_login: mentee,
      kind,
      responder_login: by,
      latency_seconds: seconds,
      closed_unanswered_at: null,
    });
    expect(await requestsOn("asyncapi/cli", 302)).toEqual([answered("amp-2026", "cli", "cli-mentee", "issue_opened", "alumnus-mentor", 4 * 3600)]);
    expect(await requestsOn("asyncapi/spec", 303)).toEqual([answered("amp-2026", "cli", "cli-mentee", "comment", "alumnus-mentor", 2 * 3600)]);
    expect(await requestsOn("asyncapi/community", 304)).toEqual([
      answered("amp-2026", "generator", "generator-mentee", "comment", "generator-mentor", 6 * 3600),
    ]);
    expect(await requestsOn("asyncapi/website", 307)).toEqual([
      answered("mentorship-2023", "protocols-docs", "docs-writer-a", "issue_opened", "docs-mentor", 3 * 3600),
    ]);
    expect(await requestsOn("asyncapi/cli", 308)).toEqual([answered("amp-2026", "cli", "cli-mentee", "comment", "alumna-mentor", 3600)]);
    expect(await requestsOn("asyncapi/cli", 306)).toEqual([]);
    expect(await requestsOn("asyncapi/cli", 305)).toEqual([
      { ...answered("amp-2026", "cli", "cli-mentee", "issue_opened", "", 0), responder_login: null, latency_seconds: null, closed_unanswered_at: new Date("2026-07-03T10:00:00Z") },
    ]);
  });

  it("the report counts the late self-close against the SLA, and nothing for studio (items 3, 6)", async () => {
    const report = await responseTimeReport(database.db, INSTALLATION_ID, "amp-2026", {}, new Date("2026-07-10T00:00:00Z"));
    expect(report.totals).toMatchObject({ requests: 5, answered: 4, waiting: 0, overdue: 0, closedUnanswered: 1, withinSla: 4 / 5 });
    expect(report.byProject.map((p) => [p.id, p.requests, p.answered, p.closedUnanswered])).toEqual([
      ["cli", 4, 3, 1],
      ["generator", 1, 1, 0],
      ["studio", 0, 0, 0],
    ]);
    expect(report.waiting).toEqual([]);

    const docs = await responseTimeReport(database.db, INSTALLATION_ID, "mentorship-2023", {}, new Date("2023-12-01T00:00:00Z"));
    expect(docs.byProject.find((p) => p.id === "protocols-docs")).toMatchObject({ requests: 1, answered: 1, p50Seconds: 3 * 3600 });
  });

  it("a docs writer's own issue elsewhere is their project's activity on the progress comment (item 10)", async () => {
    const model = world();
    const program = model.programs.find((p) => p.id === "mentorship-2023")!;
    const project = program.projects.find((p) => p.id === "protocols-docs")!;
    const activity = await menteeActivity(database.db, { installationId: INSTALLATION_ID, program, project, trackingIssue: null, naming: namingOf(null) }, "2023-12-01T00:00:00Z");
    expect(activity.find((a) => a.login === "docs-writer-a")).toMatchObject({ issues: 1, lastActivityAt: "2023-03-01T09:00:00Z" });
    // The mentor's answer on that thread is not the writer's activity.
    expect(activity.find((a) => a.login === "docs-writer-a")?.comments).toBe(0);
  });

  it("a question to a mentor outside the project's repos is the mentee's activity too (item 11)", async () => {
    const program = world().programs.find((p) => p.id === "amp-2026")!;
    const project = program.projects.find((p) => p.id === "cli")!;
    const scope = { installationId: INSTALLATION_ID, program, project, trackingIssue: null, naming: namingOf(null) };
    // Comments by cli-mentee: #302 has none; #303 (asyncapi/spec, the question) and #308 (the task) one each.
    expect((await menteeActivity(database.db, scope, "2026-07-10T00:00:00Z")).find((a) => a.login === "cli-mentee")?.comments).toBe(2);
  });
});
