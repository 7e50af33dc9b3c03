import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob, insertEvents } from "../../src/db/events.js";
import { saveRoster } from "../../src/db/rosters.js";
import type { ThreadEvent } from "../../src/domain/types.js";
import { appIdentity } from "../../src/github/comments.js";
import { postMilestoneComments } from "../../src/jobs/milestones.js";
import { postNudges } from "../../src/jobs/nudges.js";
import { readMarkers } from "../../src/render/markers.js";
import { createTestApp, mockInstallationToken, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { API, BOT, ghComment, human, mentions, mockApp, mockCommentPages, type Recorded, recordNewComments } from "../helpers/github-comments.js";
import { INSTALLATION_ID, mentee, mentee2, mentor, seedWorld, worldModel } from "../helpers/scenario.js";

const TRACKING = { repo: "asyncapi/community", number: 2001 };
const MENTORS = ["mentor-one", "mentor-two"];

let database: DatabaseHandle;
let app: TestApp;
let clock = new Date("2026-07-01T00:00:00Z");
const at = (iso: string) => {
  clock = new Date(iso);
};

async function primeGitHub(target: TestApp): Promise<void> {
  mockInstallationToken(INSTALLATION_ID);
  mockApp();
  await ((await target.probot.auth(INSTALLATION_ID)) as unknown as { auth(o: object): Promise<unknown> }).auth({ type: "installation" });
  await appIdentity(target.deps);
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  // Progress refreshes the milestone job enqueues stay queued: this file is about the new comments.
  await seedWorld(database.db);
  await primeGitHub(app);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

beforeEach(async () => {
  for (const table of ["posted_comments", "tracking_issues", "events", "requests", "tasks", "graphile_worker._private_jobs"]) {
    await sql`delete from ${sql.table(table)}`.execute(database.db);
  }
  await saveRoster(database.db, INSTALLATION_ID, worldModel(), null);
  await seedTask();
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  expect(app.errors()).toEqual([]);
});

async function seedTask(): Promise<void> {
  await database.db
    .insertInto("tasks")
    .values({
      installation_id: INSTALLATION_ID,
      repo: "asyncapi/cli",
      number: 30,
      program_id: "amp-2026",
      project_id: "cli",
      mentee_id: mentee.id,
      mentee_login: mentee.login,
      title: "Add --watch",
      state: "in progress",
      milestone_id: "midterm",
      linked_pr_repo: "asyncapi/cli",
      linked_pr_number: 41,
      linked_pr_merged: false,
      updated_at: "2026-07-01T09:00:00Z",
    })
    .execute();
}

let seq = 0;
/** A comment by `who` on asyncapi/cli#`number` at `when`: activity, as ingestion would store it. */
async function activity(who: { id: number; login: string }, when: string, number = 41): Promise<void> {
  seq += 1;
  const e: ThreadEvent = {
    kind: "comment_created",
    dedupeKey: `comment_created:nudge-test-${seq}`,
    occurredAt: when,
    actor: { id: who.id, login: who.login, isBot: false },
    repo: "asyncapi/cli",
    number,
    threadKind: "issue",
    threadAuthorId: who.id,
    data: {},
  };
  await insertEvents(database.db, INSTALLATION_ID, [e], "webhook", null);
}

async function waitingRequest(who: { id: number; login: string }, number: number, openedAt: string): Promise<void> {
  await database.db
    .insertInto("requests")
    .values({
      installation_id: INSTALLATION_ID,
      program_id: "amp-2026",
      project_id: "cli",
      mentee_id: who.id,
      mentee_login: who.login,
      repo: "asyncapi/cli",
      number,
      thread_kind: "issue",
      kind: "comment",
      opened_at: openedAt,
      opened_by: `comment_created:req-${number}-${openedAt}`,
    })
    .execute();
}

const bodies = (recorded: Recorded[]) => recorded.map((r) => String(r.body.body));
const markerKeys = (recorded: Recorded[]) => bodies(recorded).flatMap((b) => readMarkers(b).map((m) => `${m.kind}:${m.key}`));
const claims = async () => (await database.db.selectFrom("posted_comments").select(["key", "comment_id"]).orderBy("key").execute());

describe("milestone comments", () => {
  it("posts a reminder once across two worker runs", async () => {
    at("2026-08-12T03:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    for (let run = 0; run < 2; run++) {
      // As the hourly cron does: the run without an installation fans out one job per installation.
      await addJob(database.db, { task: "milestone-comments", payload: {}, key: "cron:milestone-comments" });
      await app.runJobs();
    }
    expect(markerKeys(posted)).toEqual(["milestone:amp-2026/cli/midterm/10"]);
    const body = bodies(posted)[0]!;
    expect(body).toContain("### ⏰ Mid-term evaluation is due in 10 days (2026-08-22)");
    expect(body).toContain("- asyncapi/cli#30 Add --watch (**mentee-one**)");
    expect(mentions(body)).toEqual([]);
    expect(await claims()).toEqual([{ key: "milestone:amp-2026/cli/midterm/10", comment_id: 880_001 }]);
    const refresh = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'refresh-progress'`.execute(database.db);
    expect(refresh.rows[0]!.n).toBe(1);
  });

  it("two concurrent runs post once", async () => {
    at("2026-08-17T01:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    const counts = await Promise.all([postMilestoneComments(app.deps, INSTALLATION_ID), postMilestoneComments(app.deps, INSTALLATION_ID)]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(markerKeys(posted)).toEqual(["milestone:amp-2026/cli/midterm/5"]);
  });

  it("posts the after-due comment once, mentioning exactly the mentors", async () => {
    at("2026-08-23T02:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await postMilestoneComments(app.deps, INSTALLATION_ID);
    at("2026-08-23T05:00:00Z");
    await postMilestoneComments(app.deps, INSTALLATION_ID);
    expect(markerKeys(posted)).toEqual(["milestone:amp-2026/cli/midterm/after"]);
    const body = bodies(posted)[0]!;
    expect(body).toContain("### 🔴 Mid-term evaluation was due 2026-08-22 and is not complete");
    expect(mentions(body)).toEqual(MENTORS);
  });

  it("a late install posts no stale reminder, and asks GitHub nothing", async () => {
    for (const now of ["2026-08-15T12:00:00Z", "2026-09-01T00:00:00Z", "2026-10-10T00:00:00Z", "2026-11-30T00:00:00Z"]) {
      at(now);
      expect(await postMilestoneComments(app.deps, INSTALLATION_ID)).toBe(0);
    }
    expect(await claims()).toEqual([]);
  });

  it("a refused post releases its claim and throws, and the retry posts it", async () => {
    at("2026-08-12T03:00:00Z");
    nock(API)
      .post(`/repos/${TRACKING.repo}/issues/${TRACKING.number}/comments`)
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "60" });
    await expect(postMilestoneComments(app.deps, INSTALLATION_ID)).rejects.toMatchObject({ status: 403 });
    expect(await claims()).toEqual([]);

    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    expect(await postMilestoneComments(app.deps, INSTALLATION_ID)).toBe(1);
    expect(markerKeys(posted)).toEqual(["milestone:amp-2026/cli/midterm/10"]);
  });

  it("settles claims a crash left unconfirmed from the tracking issue itself", async () => {
    at("2026-08-12T03:00:00Z");
    const claim = (key: string) =>
      sql`insert into posted_comments (installation_id, key, repo, number, comment_id, posted_at)
          values (${INSTALLATION_ID}, ${key}, ${TRACKING.repo}, ${TRACKING.number}, null, now() - interval '2 hours')`.execute(database.db);
    // Posted before the crash: the comment is on GitHub.
    await claim("milestone:amp-2026/cli/midterm/10");
    // Claimed, then the process died before posting: nothing on GitHub.
    await claim("nudge-overdue:amp-2026/cli/asyncapi/cli/99/2026-08-09T08:00:00Z");
    mockCommentPages(TRACKING.repo, TRACKING.number, [
      ghComment(TRACKING.repo, TRACKING.number, 4001, "<!-- mentorship-tracker:milestone:amp-2026/cli/midterm/10 --> quoted by a person", human("passer-by")),
      ghComment(TRACKING.repo, TRACKING.number, 4002, "<!-- mentorship-tracker:milestone:amp-2026/cli/midterm/10 -->\n### ⏰ …", BOT),
    ]);

    expect(await postMilestoneComments(app.deps, INSTALLATION_ID)).toBe(0);
    expect(await claims()).toEqual([{ key: "milestone:amp-2026/cli/midterm/10", comment_id: 4002 }]);
  });
});

describe("nudges", () => {
  it("nudges once per silence stretch, and again after new activity and a new silence", async () => {
    await activity(mentee, "2026-07-01T09:00:00Z");
    await activity(mentee2, "2026-07-08T09:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);

    at("2026-07-08T10:00:00Z");
    await addJob(database.db, { task: "nudges", payload: {}, key: "cron:nudges" });
    await app.runJobs();
    at("2026-07-09T10:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(0);
    expect(markerKeys(posted)).toEqual([`nudge-silence:amp-2026/cli/${mentee.id}/2026-07-01T09:00:00Z`]);
    const first = bodies(posted)[0]!;
    expect(first).toContain("### 👋 **mentee-one** has been quiet for 7d 1h");
    expect(mentions(first)).toEqual(MENTORS);

    await activity(mentee, "2026-07-10T09:00:00Z");
    await activity(mentee2, "2026-07-16T09:00:00Z");
    at("2026-07-17T10:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(1);
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(0);
    expect(markerKeys(posted)).toEqual([
      `nudge-silence:amp-2026/cli/${mentee.id}/2026-07-01T09:00:00Z`,
      `nudge-silence:amp-2026/cli/${mentee.id}/2026-07-10T09:00:00Z`,
    ]);
    expect(mentions(bodies(posted)[1]!)).toEqual(MENTORS);
  });

  it("a mentee who renames their account is the same person: the quiet stretch is not nudged again", async () => {
    await activity(mentee, "2026-07-01T09:00:00Z");
    await activity(mentee2, "2026-07-08T09:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    at("2026-07-08T10:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(1);

    const renamed = worldModel();
    const project = renamed.programs[0]!.projects[0]!;
    project.mentees = project.mentees.map((m) => (m.id === mentee.id ? { ...m, login: "mentee-one-renamed" } : m));
    await saveRoster(database.db, INSTALLATION_ID, renamed, null);
    at("2026-07-09T10:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(0);
    expect(markerKeys(posted)).toEqual([`nudge-silence:amp-2026/cli/${mentee.id}/2026-07-01T09:00:00Z`]);
  });

  it("a stretch nudged before nudges were keyed by id (under the login key) is not nudged again", async () => {
    await activity(mentee, "2026-07-01T09:00:00Z");
    await activity(mentee2, "2026-07-08T09:00:00Z");
    await sql`insert into posted_comments (installation_id, key, repo, number, comment_id)
              values (${INSTALLATION_ID}, 'nudge-silence:amp-2026/cli/mentee-one/2026-07-01T09:00:00Z', ${TRACKING.repo}, ${TRACKING.number}, 1)`.execute(database.db);
    at("2026-07-08T10:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(0);
  });

  it("a mentee never active in the program is nudged once", async () => {
    await activity(mentee2, "2026-06-20T09:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    at("2026-06-23T00:00:00Z");
    await postNudges(app.deps, INSTALLATION_ID);
    at("2026-06-25T00:00:00Z");
    await postNudges(app.deps, INSTALLATION_ID);
    expect(markerKeys(posted)).toEqual([`nudge-silence:amp-2026/cli/${mentee.id}/never`]);
    expect(bodies(posted)[0]).toContain("No recorded activity from **mentee-one** in this project yet");
  });

  it("nudges once per overdue request; a later request on the same thread earns its own; stale ones none", async () => {
    await activity(mentee, "2026-07-15T09:00:00Z");
    await activity(mentee2, "2026-07-14T08:00:00Z", 60);
    await activity(mentee2, "2026-07-16T12:00:00Z", 60);
    await waitingRequest(mentee2, 60, "2026-07-14T08:00:00Z");
    // Waiting for two weeks already when the app looks: shown in the progress comment, not nudged.
    await waitingRequest(mentee2, 61, "2026-07-01T08:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);

    at("2026-07-16T10:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(1);
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(0);

    await database.db
      .updateTable("requests")
      .set({ responded_at: "2026-07-16T11:00:00Z", response_kind: "comment", responder_id: mentor.id, responder_login: mentor.login, latency_seconds: 183_600 })
      .where("number", "=", 60)
      .execute();
    await waitingRequest(mentee2, 60, "2026-07-16T12:00:00Z");
    at("2026-07-18T13:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(1);

    expect(markerKeys(posted)).toEqual([
      "nudge-overdue:amp-2026/cli/asyncapi/cli/60/2026-07-14T08:00:00Z",
      "nudge-overdue:amp-2026/cli/asyncapi/cli/60/2026-07-16T12:00:00Z",
    ]);
    for (const body of bodies(posted)) expect(mentions(body)).toEqual(MENTORS);
    expect(bodies(posted)[0]).toContain("### ⏳ **mentee-two** has been waiting 2d 2h on asyncapi/cli#60");
  });

  it("under business hours the overdue nudge counts working time and says so", async () => {
    const office = worldModel();
    office.programs[0]!.businessHours = { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" };
    await saveRoster(database.db, INSTALLATION_ID, office, null);
    await activity(mentee, "2026-07-14T09:00:00Z");
    await activity(mentee2, "2026-07-14T09:00:00Z");
    await waitingRequest(mentee2, 62, "2026-07-06T09:00:00Z");
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    // Monday 09:00 to the next Tuesday 11:00: eight calendar days, 50 working hours, against a 48 h target.
    at("2026-07-14T11:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(1);
    const body = bodies(posted)[0]!;
    expect(body).toContain("### ⏳ **mentee-two** has been waiting 6 working days 2h on asyncapi/cli#62");
    expect(body).toContain("the program's first-response target is 6 working days.");
  });

  it("posts nothing outside the program's dates", async () => {
    at("2026-10-20T00:00:00Z");
    expect(await postNudges(app.deps, INSTALLATION_ID)).toBe(0);
    expect(await claims()).toEqual([]);
  });
});

describe("DRY_RUN", () => {
  let dry: TestApp;

  beforeAll(async () => {
    dry = await createTestApp(database, { dryRun: true, now: () => clock });
    await primeGitHub(dry);
  });

  afterAll(async () => {
    await dry.close();
  });

  afterEach(() => {
    expect(dry.errors()).toEqual([]);
  });

  it("logs each due comment once with its full body, writes nothing, and leaves the real run its due comments", async () => {
    at("2026-08-12T03:00:00Z");
    await activity(mentee2, "2026-08-11T09:00:00Z");
    dry.logs.splice(0);
    expect(await postMilestoneComments(dry.deps, INSTALLATION_ID)).toBe(1);
    expect(await postNudges(dry.deps, INSTALLATION_ID)).toBe(1);
    expect(await postMilestoneComments(dry.deps, INSTALLATION_ID)).toBe(0);
    expect(await postNudges(dry.deps, INSTALLATION_ID)).toBe(0);

    const lines = dry.logs.filter((l) => l.msg === "dry run: write not sent");
    expect(lines.map((l) => [l.level, l.method])).toEqual([
      [30, "POST"],
      [30, "POST"],
    ]);
    const logged = lines.map((l) => (l.body as { body: string }).body);
    expect(logged[0]).toContain("### ⏰ Mid-term evaluation is due in 10 days (2026-08-22)");
    expect(logged[1]).toContain("**mentee-one** has been quiet");
    expect(mentions(logged[1]!)).toEqual(MENTORS);

    // Turning DRY_RUN off later still posts what is due.
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    expect(await postMilestoneComments(app.deps, INSTALLATION_ID)).toBe(1);
    expect(markerKeys(posted)).toEqual(["milestone:amp-2026/cli/midterm/10"]);
  });
});
