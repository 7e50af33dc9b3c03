import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob } from "../../src/db/events.js";
import { saveRoster } from "../../src/db/rosters.js";
import { appIdentity } from "../../src/github/comments.js";
import { postLifecycleReminders } from "../../src/jobs/lifecycle-reminders.js";
import { readMarkers } from "../../src/render/markers.js";
import { createTestApp, mockInstallationToken, REPORT_TOKEN, type TestApp } from "../helpers/app.js";
import { refreshProgress } from "../../src/jobs/refresh-progress.js";
import { createTestDatabase } from "../helpers/db.js";
import { API, mentions, mockApp, mockCommentPages, type Recorded, recordNewComments } from "../helpers/github-comments.js";
import type { GhUser } from "../helpers/payloads.js";
import { lifecycleModel, mockTokenUser } from "../helpers/lifecycle.js";
import { commentCreated, INSTALLATION_ID, mentee, mentee2, mentor, mentor2, seedWorld } from "../helpers/scenario.js";

const TRACKING = { repo: "asyncapi/community", number: 2001 };
const everyComment: string[] = [];
let database: DatabaseHandle;
let app: TestApp;
let clock = new Date("2026-08-01T00:00:00Z");
const at = (iso: string) => {
  clock = new Date(iso);
};
const model = () => lifecycleModel({ extendFinalTo: "2026-11-07" });

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  await seedWorld(database.db, model());
  mockInstallationToken(INSTALLATION_ID);
  mockApp();
  await ((await app.probot.auth(INSTALLATION_ID)) as unknown as { auth(o: object): Promise<unknown> }).auth({ type: "installation" });
  await appIdentity(app.deps);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

beforeEach(async () => {
  for (const table of ["posted_comments", "evaluations", "enrolment_outcomes", "check_ins", "requests", "events", "deliveries", "graphile_worker._private_jobs"]) {
    await sql`delete from ${sql.table(table)}`.execute(database.db);
  }
  await saveRoster(database.db, INSTALLATION_ID, model(), null);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(app.errors()).toEqual([]);
});

const bodies = (recorded: Recorded[]) => recorded.map((r) => String(r.body.body));
/** The evaluation reminders among the comments posted (check-in nudges go out in the same runs). */
const keys = (recorded: Recorded[]) => bodies(recorded).flatMap((b) => readMarkers(b).filter((m) => m.kind === "evaluation").map((m) => m.key));
const nudgeKeys = (recorded: Recorded[]) => bodies(recorded).flatMap((b) => readMarkers(b).filter((m) => m.kind === "nudge-checkin").map((m) => m.key));

async function runAt(iso: string, runs = 1): Promise<void> {
  at(iso);
  for (let run = 0; run < runs; run++) {
    // As the hourly cron does: the run without an installation fans out one job per installation.
    await addJob(database.db, { task: "lifecycle-reminders", payload: {}, key: "cron:lifecycle-reminders" });
    await app.runJobs();
  }
}

describe("evaluation reminders on the tracking issue", () => {
  it("the round opening and its last three days ping whoever still owes a form, each once", async () => {
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-08-15T03:00:00Z", 2);
    expect(keys(posted)).toEqual(["amp-2026/cli/midterm/opens/2026-08-22"]);
    expect([...new Set(mentions(bodies(posted)[0]!))].sort()).toEqual(["mentee-one", "mentee-two", "mentor-one", "mentor-two"]);

    // A mentor submits mentee-one's form through the API before the 3-day reminder.
    mockTokenUser("mentor-token", mentor);
    const response = await fetch(`${app.url}/api/v1/programs/amp-2026/evaluations`, {
      method: "POST",
      headers: { authorization: "Bearer mentor-token", "content-type": "application/json" },
      body: JSON.stringify({ mentee: "mentee-one", round: "midterm", outcome: "pass", note: "PRIVATE-NOTE-1" }),
    });
    expect(response.status).toBe(201);
    await runAt("2026-08-19T03:00:00Z", 2);
    expect(keys(posted)).toEqual(["amp-2026/cli/midterm/opens/2026-08-22", "amp-2026/cli/midterm/due-3d/2026-08-22"]);
    const soon = bodies(posted)[1]!;
    expect(soon).not.toContain("the mentor form for **mentee-one**");
    expect(soon).toContain("- the mentor form for **mentee-two**: @mentor-one @mentor-two");
    everyComment.push(...bodies(posted));
  });

  it("a late round escalates to the program admins once", async () => {
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-08-23T01:00:00Z", 2);
    await runAt("2026-08-24T05:00:00Z");
    expect(keys(posted)).toEqual(["amp-2026/cli/midterm/late/2026-08-22"]);
    expect(mentions(bodies(posted)[0]!)).toEqual(["program-admin"]);
    everyComment.push(...bodies(posted));
  });

  it("a GSoC-style extension moves one mentee's final due date, and the reminders follow it", async () => {
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-10-14T03:00:00Z");
    await runAt("2026-10-18T03:00:00Z");
    await runAt("2026-11-04T03:00:00Z");
    await runAt("2026-11-08T03:00:00Z");
    expect(keys(posted)).toEqual([
      "amp-2026/cli/final/due-3d/2026-10-17",
      "amp-2026/cli/final/late/2026-10-17",
      "amp-2026/cli/final/due-3d/2026-11-07",
      "amp-2026/cli/final/late/2026-11-07",
    ]);
    const [soon, late, extendedSoon, extendedLate] = bodies(posted) as [string, string, string, string];
    expect(soon).toContain("**mentee-one**");
    expect(soon).not.toContain("mentee-two");
    expect(late).not.toContain("mentee-two");
    expect(extendedSoon).toContain("### ⏰ Final evaluation is due in 3 days (2026-11-07)");
    expect(extendedSoon).toContain("@mentee-two");
    expect(extendedSoon).not.toContain("mentee-one");
    expect(mentions(extendedLate)).toEqual(["program-admin"]);
    everyComment.push(...bodies(posted));
  });
});

let commentId = 70_000;
/** `/mentorship checkin …` by `who`, as a signed delivery; the command is answered with a reaction only. */
async function checkInCommand(who: GhUser, body: string): Promise<number> {
  commentId += 1;
  const payload = commentCreated({ kind: "issue", number: 77, author: mentee }, commentId, clock.toISOString(), who, body);
  nock(API).post(`/repos/asyncapi/cli/issues/comments/${commentId}/reactions`, { content: "+1" }).reply(201, { id: 1, content: "+1" });
  expect((await app.send("issue_comment", payload)).status).toBe(200);
  await app.runJobs();
  return commentId;
}

/** A request of `who` that `responder` answered at `at`: a mentor's response is a check-in. */
async function answeredRequest(who: GhUser, responder: GhUser, at: string): Promise<void> {
  await database.db
    .insertInto("requests")
    .values({
      installation_id: INSTALLATION_ID,
      program_id: "amp-2026",
      project_id: "cli",
      mentee_id: who.id,
      mentee_login: who.login,
      repo: "asyncapi/cli",
      number: 88,
      thread_kind: "issue",
      kind: "comment",
      opened_at: at,
      opened_by: `comment_created:checkin-${at}`,
      responded_at: at,
      response_kind: "comment",
      responder_id: responder.id,
      responder_login: responder.login,
      latency_seconds: 0,
    })
    .execute();
}

describe("check-ins", () => {
  it("a mentor records one with /mentorship checkin: a reaction, no comment, and a redelivery records nothing twice", async () => {
    const posted = recordNewComments("asyncapi/cli", 77);
    at("2026-06-16T09:00:00Z");
    mockInstallationToken(INSTALLATION_ID);
    const id = await checkInCommand(mentor, "/mentorship checkin @Mentee-One talked about the plan");
    // The same delivery again (GitHub redelivers): one reaction more at most, no second check-in.
    commentId = id - 1;
    await checkInCommand(mentor, "/mentorship checkin @Mentee-One talked about the plan");
    const rows = await database.db.selectFrom("check_ins").select(["mentor_login", "mentee_login", "at", "source", "note"]).execute();
    expect(rows).toEqual([{ mentor_login: "mentor-one", mentee_login: "mentee-one", at: new Date("2026-06-16T09:00:00Z"), source: "command", note: "talked about the plan" }]);
    expect(posted).toEqual([]);
  });

  it("someone who does not mentor that mentee records nothing and is told so", async () => {
    at("2026-06-16T10:00:00Z");
    mockInstallationToken(INSTALLATION_ID);
    nock(API).get(`/repos/asyncapi/cli/collaborators/${mentee2.login}/permission`).optionally().reply(200, { permission: "write", role_name: "write" });
    commentId += 1;
    const payload = commentCreated({ kind: "issue", number: 77, author: mentee }, commentId, clock.toISOString(), mentee2, "/mentorship checkin @mentee-one");
    const reply = recordNewComments("asyncapi/cli", 77);
    await app.send("issue_comment", payload);
    await app.runJobs();
    expect(bodies(reply)).toEqual(["Only a mentee's own mentors can record a check-in with them."]);
    expect(await database.db.selectFrom("check_ins").select("id").execute()).toEqual([]);
  });

  it("a missed weekly check-in earns that mentor one nudge", async () => {
    at("2026-06-23T09:00:00Z");
    mockInstallationToken(INSTALLATION_ID);
    // Week two (06-22 to 06-28): mentor-two checks in with both mentees, mentor-one answers mentee-two.
    await checkInCommand(mentor2, "/mentorship checkin @mentee-one");
    await checkInCommand(mentor2, "/mentorship checkin @mentee-two");
    await answeredRequest(mentee2, mentor, "2026-06-24T12:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-06-29T02:00:00Z", 2);
    await runAt("2026-06-30T02:00:00Z");
    expect(nudgeKeys(posted)).toEqual(["amp-2026/cli/mentor-one/mentee-one/2026-06-22T00:00:00Z"]);
    const nudge = bodies(posted)[0]!;
    expect(mentions(nudge)).toEqual(["mentor-one"]);
    expect(nudge).toContain("### 🤝 No check-in with **mentee-one** from 2026-06-22 to 2026-06-28");
    everyComment.push(...bodies(posted));
  });
});

async function postEvaluation(token: string, user: GhUser, body: Record<string, unknown>): Promise<void> {
  mockTokenUser(token, user);
  const response = await fetch(`${app.url}/api/v1/programs/amp-2026/evaluations`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
}

describe("visible where people look", () => {
  it("the progress comment shows each mentee's forms by state and each pair's last check-in; the report JSON carries them too", async () => {
    at("2026-08-20T10:00:00Z");
    await postEvaluation("mentor-token", mentor, { mentee: "mentee-one", round: "midterm", outcome: "fail", note: "PRIVATE-NOTE-2" });
    await postEvaluation("mentee-token", mentee, { mentee: "mentee-one", round: "midterm", rating: 1, note: "PRIVATE-NOTE-3" });
    await answeredRequest(mentee, mentor2, "2026-08-12T12:00:00Z");

    mockCommentPages(TRACKING.repo, TRACKING.number, []);
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("created");
    const progress = bodies(posted)[0]!;
    expect(progress).toContain("### Evaluations and check-ins");
    expect(progress).toContain(
      "- **mentee-one**: Midterm evaluation: mentor form submitted, feedback submitted · Final evaluation: mentor form not open yet, feedback not open yet · " +
        "**mentor-one** no check-in yet (0 of 9 periods kept) · **mentor-two** last check-in 2026-08-12 (1 of 9 periods kept)",
    );
    expect(progress).toContain("- **mentee-two**: Midterm evaluation: mentor form due in 2 days, feedback due in 2 days ·");
    everyComment.push(...bodies(posted));

    const report = await fetch(`${app.url}/api/v1/programs/amp-2026/response-times`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } });
    const json = (await report.json()) as { mentees: Array<{ mentee: string; evaluations: unknown[]; checkIns: unknown[] }> };
    const one = json.mentees.find((m) => m.mentee === "mentee-one")!;
    expect(one.evaluations[0]).toEqual({ round: "midterm", title: "Midterm evaluation", side: "mentor", state: "submitted", due: "2026-08-22", label: "submitted" });
    expect(one.checkIns).toContainEqual({ mentor: "mentor-two", lastAt: "2026-08-12T12:00:00Z", longestGapSeconds: expect.any(Number), periods: 9, periodsKept: 1 });
    expect(JSON.stringify(json)).not.toMatch(/PRIVATE-NOTE|"rating"|"outcome"|fail/);
  });
});

describe("privacy", () => {
  it("opted-out people are listed by their labels in reminders and check-in nudges, and pinged by nobody", async () => {
    const optedOut = { ...model(), privacy: { optOut: [mentee2, mentor2].map((p) => ({ id: p.id, login: p.login })), payloadRetentionSeconds: 365 * 86_400 } };
    await saveRoster(database.db, INSTALLATION_ID, optedOut, null);
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-06-29T02:00:00Z");
    await runAt("2026-08-15T03:00:00Z");
    expect(nudgeKeys(posted).sort()).toEqual([
      "amp-2026/cli/mentor-one/mentee-one/2026-06-22T00:00:00Z",
      "amp-2026/cli/mentor-one/opted-out-mentee-1/2026-06-22T00:00:00Z",
      "amp-2026/cli/opted-out-mentor-2/mentee-one/2026-06-22T00:00:00Z",
      "amp-2026/cli/opted-out-mentor-2/opted-out-mentee-1/2026-06-22T00:00:00Z",
    ]);
    expect(keys(posted)).toEqual(["amp-2026/cli/midterm/opens/2026-08-22"]);
    const reminder = bodies(posted).find((b) => b.includes("midterm/opens"))!;
    expect(reminder).toContain("the mentor form for **opted-out mentee 1**: @mentor-one **opted-out mentor 2**");
    for (const body of bodies(posted)) {
      expect(body).not.toMatch(/mentee-two|mentor-two/);
      for (const id of [mentee2.id, mentor2.id]) expect(body).not.toContain(String(id));
      for (const login of mentions(body)) expect(["mentee-one", "mentor-one"]).toContain(login);
    }
  });

  it("no comment the app wrote in these stories shows an outcome, a rating or a note", () => {
    expect(everyComment.length).toBeGreaterThanOrEqual(9);
    expect(everyComment.some((b) => b.includes("### Evaluations and check-ins"))).toBe(true);
    for (const body of everyComment) {
      expect(body).not.toMatch(/\b(pass|passed|fail|failed|extend|extended)\b/i);
      expect(body).not.toMatch(/PRIVATE-NOTE|rating|[1-5]\s*\/\s*5/i);
    }
  });
});
