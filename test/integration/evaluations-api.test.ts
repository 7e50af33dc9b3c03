import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveRoster } from "../../src/db/rosters.js";
import { createTestApp, REPORT_TOKEN, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { lifecycleModel, mockBadToken, mockTokenUser } from "../helpers/lifecycle.js";
import { ghUser, type GhUser } from "../helpers/payloads.js";
import { admin, INSTALLATION_ID, mentee, mentee2, mentor, mentor2, seedWorld, stranger } from "../helpers/scenario.js";

const PATH = "/api/v1/programs/amp-2026/evaluations";
let database: DatabaseHandle;
let app: TestApp;
let clock = new Date("2026-08-20T12:00:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  await seedWorld(database.db, lifecycleModel({ extendFinalTo: "2026-11-07" }));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

beforeEach(async () => {
  clock = new Date("2026-08-20T12:00:00Z");
  for (const table of ["evaluations", "enrolment_outcomes", "graphile_worker._private_jobs"]) await sql`delete from ${sql.table(table)}`.execute(database.db);
  await saveRoster(database.db, INSTALLATION_ID, lifecycleModel({ extendFinalTo: "2026-11-07" }), null);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(app.errors()).toEqual([]);
  expect(pending).toEqual([]);
});

function post(body: unknown, token: string | null, path = PATH): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
}

function get(token: string, path = PATH): Promise<Response> {
  return fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

async function storedRows() {
  return database.db.selectFrom("evaluations").select(["round_id", "mentee_login", "side", "author_login", "outcome", "rating", "note"]).orderBy("id").execute();
}

describe("recording an evaluation through the API", () => {
  it("a mentor records a mid-term pass for their mentee; the form is submitted and the progress comment is due a refresh", async () => {
    mockTokenUser("mentor-token", mentor);
    const response = await post({ mentee: "Mentee-One", round: "midterm", outcome: "pass", note: "solid work" }, "mentor-token");
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: expect.any(Number),
      program: "amp-2026",
      project: "cli",
      mentee: "mentee-one",
      round: "midterm",
      side: "mentor",
      recordedBy: "mentor-one",
      recordedAt: "2026-08-20T12:00:00Z",
      form: "submitted",
      completion: { outcome: "active", date: null },
    });
    expect(await storedRows()).toEqual([
      { round_id: "midterm", mentee_login: "mentee-one", side: "mentor", author_login: "mentor-one", outcome: "pass", rating: null, note: "solid work" },
    ]);
    const jobs = await sql<{ key: string }>`select key from graphile_worker._private_jobs`.execute(database.db);
    expect(jobs.rows.map((j) => j.key)).toEqual([`progress:${INSTALLATION_ID}:amp-2026/cli`]);
  });

  it("an edit appends: history keeps who and when, the latest decides the outcome", async () => {
    mockTokenUser("mentor-token", mentor);
    expect((await post({ mentee: "mentee-one", round: "midterm", outcome: "pass" }, "mentor-token")).status).toBe(201);
    clock = new Date("2026-08-21T08:00:00Z");
    mockTokenUser("mentor2-token", mentor2);
    const second = await post({ mentee: "mentee-one", round: "midterm", outcome: "fail", note: "changed my mind" }, "mentor2-token");
    expect(((await second.json()) as { completion: unknown }).completion).toEqual({ outcome: "failed", date: "2026-08-21" });
    mockTokenUser("admin-token", admin);
    const listing = (await (await get("admin-token")).json()) as { mentees: Array<{ mentee: string; history: unknown[] }> };
    expect(listing.mentees.find((m) => m.mentee === "mentee-one")!.history).toEqual([
      { round: "midterm", side: "mentor", by: "mentor-one", at: "2026-08-20T12:00:00Z", outcome: "pass", extendTo: null, note: null },
      { round: "midterm", side: "mentor", by: "mentor-two", at: "2026-08-21T08:00:00Z", outcome: "fail", extendTo: null, note: "changed my mind" },
    ]);
    const outcome = await database.db.selectFrom("enrolment_outcomes").select(["mentee_login", "outcome", "outcome_date"]).execute();
    expect(outcome).toEqual([{ mentee_login: "mentee-one", outcome: "failed", outcome_date: "2026-08-21" }]);
  });

  it("an admin may record for any mentee; an extend moves that mentee's due date and marks the enrolment extended", async () => {
    clock = new Date("2026-10-12T00:00:00Z");
    mockTokenUser("admin-token", admin);
    const response = await post({ mentee: "mentee-one", round: "final", outcome: "extend", extendTo: "2026-10-31" }, "admin-token");
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ side: "mentor", form: "due in 19 days", completion: { outcome: "extended", date: "2026-10-31" } });
  });

  it("a non-mentor is refused with one answer, whether or not the mentee or the program exists, and nothing is stored", async () => {
    mockTokenUser("stranger-token", stranger, true);
    const answers = [];
    for (const [body, path] of [
      [{ mentee: "mentee-one", round: "midterm", outcome: "pass" }, PATH],
      [{ mentee: "nobody-at-all", round: "midterm", outcome: "pass" }, PATH],
      [{ mentee: "mentee-one", round: "no-such-round", outcome: "pass" }, PATH],
      [{ mentee: "mentee-one", round: "midterm", outcome: "pass" }, "/api/v1/programs/no-such-program/evaluations"],
    ] as const) {
      const response = await post(body, "stranger-token", path);
      answers.push({ status: response.status, body: await response.text() });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.status).toBe(403);
    expect((await get("stranger-token")).status).toBe(403);
    nock.cleanAll();
    expect(await storedRows()).toEqual([]);
  });

  it("a mentor of one mentee is not a mentor of another project's mentee, and a mentee gives only their own feedback", async () => {
    mockTokenUser("mentee2-token", mentee2, true);
    const forOther = await post({ mentee: "mentee-one", round: "midterm", rating: 5 }, "mentee2-token");
    expect(forOther.status).toBe(403);
    const outcome = await post({ mentee: "mentee-two", round: "midterm", outcome: "pass" }, "mentee2-token");
    expect(outcome.status).toBe(422);
    expect(await outcome.json()).toEqual({ error: "a mentee form has a rating and a note, not an outcome" });
    nock.cleanAll();
    expect(await storedRows()).toEqual([]);
  });

  it("a mentee's feedback is visible to admins only", async () => {
    mockTokenUser("mentee-token", mentee);
    const feedback = await post({ mentee: "mentee-one", round: "midterm", rating: 2, note: "replies took a week" }, "mentee-token");
    expect(feedback.status).toBe(201);
    expect(await feedback.json()).toMatchObject({ side: "mentee", form: "submitted" });

    mockTokenUser("admin-token", admin);
    const asAdmin = (await (await get("admin-token")).json()) as { mentees: Array<{ mentee: string; history: unknown[] }> };
    expect(asAdmin.mentees.find((m) => m.mentee === "mentee-one")!.history).toEqual([
      { round: "midterm", side: "mentee", by: "mentee-one", at: "2026-08-20T12:00:00Z", rating: 2, note: "replies took a week" },
    ]);

    mockTokenUser("mentor-token", mentor);
    const asMentorText = await (await get("mentor-token")).text();
    expect(asMentorText).not.toContain("replies took a week");
    const asMentor = JSON.parse(asMentorText) as { mentees: Array<{ mentee: string; forms: unknown[]; history: unknown[] }> };
    const seen = asMentor.mentees.find((m) => m.mentee === "mentee-one")!;
    expect(seen.history).toEqual([]);
    expect(seen.forms).toContainEqual({ round: "midterm", side: "mentee", state: "submitted", due: "2026-08-22", label: "submitted" });
    expect(JSON.stringify(asMentor)).not.toMatch(/"rating"/);

    // The other mentee sees only their own enrolment, and nothing of mentee-one's.
    mockTokenUser("mentee2-token", mentee2);
    const asOther = (await (await get("mentee2-token")).json()) as { mentees: Array<{ mentee: string }> };
    expect(asOther.mentees.map((m) => m.mentee)).toEqual(["mentee-two"]);
  });
});

describe("authentication and input", () => {
  it("a report token is read-only here and is never sent to GitHub", async () => {
    const response = await post({ mentee: "mentee-one", round: "midterm", outcome: "pass" }, REPORT_TOKEN);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: expect.stringContaining("read-only") });
  });

  it("no token is 401, and so is a token GitHub refuses", async () => {
    expect((await post({}, null)).status).toBe(401);
    mockBadToken("bad-token");
    const refused = await post({ mentee: "mentee-one", round: "midterm", outcome: "pass" }, "bad-token");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("invalid_token");
  });

  it("names what is wrong with the body, and refuses forms for a round not yet open", async () => {
    mockTokenUser("mentor-token", mentor, true);
    const unknownKey = await post({ mentee: "mentee-one", round: "midterm", outcome: "pass", grade: "A" }, "mentor-token");
    expect(unknownKey.status).toBe(400);
    const badRating = await post({ mentee: "mentee-one", round: "midterm", rating: 9 }, "mentor-token");
    expect(badRating.status).toBe(400);
    expect(await badRating.json()).toMatchObject({ parameter: "rating" });
    const notOpen = await post({ mentee: "mentee-one", round: "final", outcome: "pass" }, "mentor-token");
    expect(notOpen.status).toBe(422);
    expect(await notOpen.json()).toEqual({ error: 'round "final" opens on 2026-10-10' });
    const earlier = await post({ mentee: "mentee-one", round: "midterm", outcome: "extend", extendTo: "2026-08-01" }, "mentor-token");
    expect(await earlier.json()).toEqual({ error: "extendTo must be after the current due date (2026-08-22)" });
    nock.cleanAll();
    expect(await storedRows()).toEqual([]);
  });
});

describe("recording a check-in through the API", () => {
  it("a mentor records one with their mentee; anyone else gets the same refusal as for evaluations", async () => {
    await sql`delete from check_ins`.execute(database.db);
    mockTokenUser("mentor-token", mentor);
    const recorded = await fetch(`${app.url}/api/v1/programs/amp-2026/check-ins`, {
      method: "POST",
      headers: { authorization: "Bearer mentor-token", "content-type": "application/json" },
      body: JSON.stringify({ mentee: "mentee-two", note: "weekly call" }),
    });
    expect(recorded.status).toBe(201);
    expect(await recorded.json()).toEqual({ program: "amp-2026", project: "cli", mentor: "mentor-one", mentee: "mentee-two", at: "2026-08-20T12:00:00Z" });

    mockTokenUser("admin-token", admin);
    const byAdmin = await fetch(`${app.url}/api/v1/programs/amp-2026/check-ins`, {
      method: "POST",
      headers: { authorization: "Bearer admin-token", "content-type": "application/json" },
      body: JSON.stringify({ mentee: "mentee-two" }),
    });
    expect(byAdmin.status).toBe(403);
    const rows = await database.db.selectFrom("check_ins").select(["mentor_login", "mentee_login", "source", "note"]).execute();
    expect(rows).toEqual([{ mentor_login: "mentor-one", mentee_login: "mentee-two", source: "api", note: "weekly call" }]);
  });
});

describe("several programs and projects in one roster", () => {
  const docsMentor = ghUser("docs-mentor");
  const newcomer = ghUser("spec-newcomer");
  const asPerson = (u: GhUser) => ({ id: u.id, login: u.login });

  /**
   * Like AsyncAPI 2024, mentee-two is enrolled in two projects of one program, here with other mentors
   * in the second. In a second program mentee-one mentors and mentor-two is a mentee.
   */
  function rosterOfTwoPrograms() {
    const model = lifecycleModel();
    const amp = model.programs[0]!;
    amp.projects.push({ id: "docs", title: "Docs", repos: [], trackingIssue: null, mentors: [asPerson(docsMentor)], mentees: [asPerson(mentee2)] });
    model.programs.push({
      ...amp,
      id: "gsoc-2026",
      name: "GSoC 2026",
      evaluations: amp.evaluations!.map((r) => ({ ...r })),
      projects: [{ id: "spec", title: "Spec", repos: [], trackingIssue: null, mentors: [asPerson(mentee)], mentees: [asPerson(mentor2), asPerson(newcomer)] }],
    });
    return model;
  }

  beforeEach(async () => {
    await saveRoster(database.db, INSTALLATION_ID, rosterOfTwoPrograms(), null);
  });

  it("the mentor of a mentee's second project records for them without naming the project", async () => {
    mockTokenUser("docs-token", docsMentor);
    const response = await post({ mentee: "mentee-two", round: "midterm", outcome: "pass" }, "docs-token");
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ project: "docs", mentee: "mentee-two", side: "mentor" });
    mockTokenUser("docs-token", docsMentor);
    const onlyTheirs = await post({ mentee: "mentee-one", round: "midterm", outcome: "pass" }, "docs-token");
    expect(onlyTheirs.status).toBe(403);
  });

  it("someone who mentors in one program and is mentored in another records for their own program's mentees only", async () => {
    const GSOC = "/api/v1/programs/gsoc-2026/evaluations";
    mockTokenUser("mentee-token", mentee, true);
    const forTheirMentee = await post({ mentee: "spec-newcomer", round: "midterm", outcome: "pass", note: "keeps going" }, "mentee-token", GSOC);
    expect(forTheirMentee.status).toBe(201);
    expect(await forTheirMentee.json()).toMatchObject({ project: "spec", side: "mentor", recordedBy: "mentee-one" });
    // In the program where they are a mentee they record neither for their co-mentee nor an outcome for themselves.
    expect((await post({ mentee: "mentee-two", round: "midterm", outcome: "pass" }, "mentee-token")).status).toBe(403);
    const ownOutcome = await post({ mentee: "mentee-one", round: "midterm", outcome: "pass" }, "mentee-token");
    expect(await ownOutcome.json()).toEqual({ error: "a mentee form has a rating and a note, not an outcome" });

    mockTokenUser("mentor2-token", mentor2, true);
    // mentor-two mentors in amp-2026 but is a mentee in gsoc-2026: only their own feedback there.
    expect((await post({ mentee: "spec-newcomer", round: "midterm", outcome: "fail" }, "mentor2-token", GSOC)).status).toBe(403);
    expect((await post({ mentee: "mentor-two", round: "midterm", rating: 4, note: "patient mentor" }, "mentor2-token", GSOC)).status).toBe(201);
    const asMenteeText = await (await get("mentor2-token", GSOC)).text();
    expect(asMenteeText).not.toContain("keeps going");
    const asMentee = JSON.parse(asMenteeText) as { mentees: Array<{ mentee: string; history: unknown[] }> };
    expect(asMentee.mentees.map((m) => [m.mentee, m.history.length])).toEqual([["mentor-two", 1]]);
    // Their mentor, mentee-one, reads the mentor forms of gsoc-2026 but not that feedback about themselves.
    const asTheirMentorText = await (await get("mentee-token", GSOC)).text();
    expect(asTheirMentorText).toContain("keeps going");
    expect(asTheirMentorText).not.toContain("patient mentor");
    // In the program they mentor, mentor-two reads their own mentees, none of what they said as a mentee.
    const asMentorText = await (await get("mentor2-token")).text();
    expect(asMentorText).not.toContain("patient mentor");
    expect((JSON.parse(asMentorText) as { mentees: Array<{ mentee: string }> }).mentees.map((m) => m.mentee)).toEqual(["mentee-one", "mentee-two"]);
    nock.cleanAll();
    expect((await storedRows()).map((r) => [r.mentee_login, r.side, r.author_login])).toEqual([
      ["spec-newcomer", "mentor", "mentee-one"],
      ["mentor-two", "mentee", "mentor-two"],
    ]);
  });
});
