import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import pg from "pg";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob, insertEvents } from "../../src/db/events.js";
import { saveRoster } from "../../src/db/rosters.js";
import type { InstallationModel } from "../../src/domain/program.js";
import type { ThreadEvent } from "../../src/domain/types.js";
import { appIdentity } from "../../src/github/comments.js";
import { refreshProgress } from "../../src/jobs/refresh-progress.js";
import { progressMarker } from "../../src/render/progress.js";
import { createTestApp, mockInstallationToken, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { API, APP_SLUG, BOT, ghComment, human, mentions, mockApp, mockCommentPages, recordNewComments } from "../helpers/github-comments.js";
import { ghBot, setRepo } from "../helpers/payloads.js";
import { commentCreated, INSTALLATION_ID, mentee, mentee2, mentor, seedWorld, worldModel } from "../helpers/scenario.js";

const TRACKING = { repo: "asyncapi/community", number: 2001 };
const MARKER = progressMarker("amp-2026", "cli");
const START = new Date("2026-07-10T12:00:00Z");

let database: DatabaseHandle;
let app: TestApp;
let clock = START;
const onEmbeddedDatabase = () => !process.env.DATABASE_URL;

/** Makes the installation token and the app's identity known, as the first job of a process would. */
async function primeGitHub(target: TestApp): Promise<void> {
  mockInstallationToken(INSTALLATION_ID);
  mockApp();
  await ((await target.probot.auth(INSTALLATION_ID)) as unknown as { auth(o: object): Promise<unknown> }).auth({ type: "installation" });
  await appIdentity(target.deps);
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  await seedWorld(database.db);
  await seedActivity();
  await primeGitHub(app);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

beforeEach(async () => {
  clock = START;
  await reset();
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  expect(app.errors()).toEqual([]);
});

async function reset(model: InstallationModel = worldModel()): Promise<void> {
  await sql`delete from posted_comments`.execute(database.db);
  await sql`delete from tracking_issues`.execute(database.db);
  await sql`delete from graphile_worker._private_jobs`.execute(database.db);
  await saveRoster(database.db, INSTALLATION_ID, model, null);
}

function withoutTrackingIssue(trackingRepo: string | null = "asyncapi/community"): InstallationModel {
  const model = worldModel();
  const program = model.programs[0]!;
  program.trackingRepo = trackingRepo;
  program.projects[0]!.trackingIssue = null;
  return model;
}

let eventSeq = 0;
function event(
  kind: ThreadEvent["kind"],
  thread: { number: number; kind: "issue" | "pr"; author: { id: number; login: string } },
  at: string,
  actor: { id: number; login: string },
  data: ThreadEvent["data"] = {},
): ThreadEvent {
  eventSeq += 1;
  return {
    kind,
    dedupeKey: `${kind}:test-${eventSeq}`,
    occurredAt: at,
    actor: { id: actor.id, login: actor.login, isBot: false },
    repo: "asyncapi/cli",
    number: thread.number,
    threadKind: thread.kind,
    threadAuthorId: thread.author.id,
    data,
  };
}

/** A little history, straight into the tables the jobs read (ingestion has its own tests). */
async function seedActivity(): Promise<void> {
  const pr = { number: 41, kind: "pr" as const, author: mentee };
  await insertEvents(
    database.db,
    INSTALLATION_ID,
    [
      event("pr_opened", pr, "2026-07-01T09:00:00Z", mentee, { draft: false, linkedIssues: [30] }),
      event("review_submitted", pr, "2026-07-01T12:00:00Z", mentor, { reviewState: "commented" }),
      event("comment_created", pr, "2026-07-02T10:00:00Z", mentee),
      event("comment_created", { number: 50, kind: "issue", author: mentee2 }, "2026-07-09T08:00:00Z", mentee2),
    ],
    "webhook",
    null,
  );
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
      title: "Add --watch to `asyncapi validate` @everyone",
      state: "in progress",
      milestone_id: "midterm",
      linked_pr_repo: "asyncapi/cli",
      linked_pr_number: 41,
      linked_pr_merged: false,
      updated_at: "2026-07-01T09:00:00Z",
    })
    .execute();
  const request = { installation_id: INSTALLATION_ID, program_id: "amp-2026", project_id: "cli", repo: "asyncapi/cli" };
  await database.db
    .insertInto("requests")
    .values([
      {
        ...request,
        mentee_id: mentee.id,
        mentee_login: mentee.login,
        number: 41,
        thread_kind: "pr",
        kind: "ready_for_review",
        opened_at: "2026-07-01T09:00:00Z",
        opened_by: "pr_opened:test",
        responded_at: "2026-07-01T12:00:00Z",
        response_kind: "review",
        responder_id: mentor.id,
        responder_login: mentor.login,
        latency_seconds: 3 * 3600,
      },
      {
        ...request,
        mentee_id: mentee2.id,
        mentee_login: mentee2.login,
        number: 50,
        thread_kind: "issue",
        kind: "comment",
        opened_at: "2026-07-09T08:00:00Z",
        opened_by: "comment_created:test",
      },
    ])
    .execute();
}

/** Comments 1001…(1000+n) by people, on the tracking issue. */
function humanComments(n: number, issue = TRACKING) {
  return Array.from({ length: n }, (_, i) => ghComment(issue.repo, issue.number, 1001 + i, `Comment ${i + 1}`, human(`person-${i % 7}`)));
}

function mockGetComment(id: number, body: () => string, times = 1, issue = TRACKING): void {
  nock(API)
    .get(`/repos/${issue.repo}/issues/comments/${id}`)
    .times(times)
    .reply(200, () => ghComment(issue.repo, issue.number, id, body(), BOT));
}

/** Answers reads of one of the app's comments for as long as the test runs (how many depends on timing). */
function mockGetCommentAnyNumberOfTimes(id: number, body: () => string, issue = TRACKING): void {
  nock(API)
    .persist()
    .get(`/repos/${issue.repo}/issues/comments/${id}`)
    .optionally()
    .reply(200, () => ghComment(issue.repo, issue.number, id, body(), BOT));
}

async function queued(task: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = ${task}`.execute(database.db);
  return r.rows[0]!.n;
}

/** Runs the queued jobs now, delays or not, as the worker would once their time came. */
async function runQueuedNow(): Promise<void> {
  await sql`update graphile_worker._private_jobs set run_at = now()`.execute(database.db);
  await app.runJobs();
}

describe("the progress comment", () => {
  it("finds the app's own comment on page 2 of 150, ignores a human's quoting the marker, and patches it once", async () => {
    const comments = humanComments(150);
    comments[104] = ghComment(TRACKING.repo, TRACKING.number, 1105, `> ${MARKER}\n> quoting the bot`, human("passer-by"));
    comments[120] = ghComment(TRACKING.repo, TRACKING.number, 1121, `${MARKER}\nanother app`, { login: "other-app[bot]", id: 77, type: "Bot" });
    comments[139] = ghComment(TRACKING.repo, TRACKING.number, 1140, `${MARKER}\nan old body`, BOT);
    mockCommentPages(TRACKING.repo, TRACKING.number, comments);
    let patched = "";
    nock(API)
      .patch(`/repos/${TRACKING.repo}/issues/comments/1140`, (body: { body: string }) => {
        patched = body.body;
        return true;
      })
      .reply(200, () => ghComment(TRACKING.repo, TRACKING.number, 1140, patched, BOT));

    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("updated");
    expect(patched.startsWith(MARKER)).toBe(true);
    expect(patched).toContain("## Mentorship progress: AsyncAPI CLI");
    expect(patched).toContain("| asyncapi/cli#30 |");
    expect(patched).toContain("Median time to a mentor's first response: **3h**");
    expect(patched).toContain("asyncapi/cli#50 from **mentee-two**, waiting 1d 4h");
    // Untrusted text pings nobody: not the task title's @everyone, not the people it lists.
    expect(mentions(patched)).toEqual([]);

    // Next run: the remembered comment is read by id (one call, whatever the issue's length) and,
    // a few minutes later with nothing new, is left alone.
    clock = new Date(START.getTime() + 3 * 60_000);
    mockGetComment(1140, () => patched);
    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("unchanged");
  });

  it("posts a new comment when only a human's comment carries the marker", async () => {
    const comments = humanComments(150);
    comments[130] = ghComment(TRACKING.repo, TRACKING.number, 1131, `I copied this: ${MARKER}`, human("passer-by"));
    mockCommentPages(TRACKING.repo, TRACKING.number, comments);
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);

    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("created");
    expect(posted).toHaveLength(1);
    expect(String(posted[0]!.body.body).startsWith(MARKER)).toBe(true);
  });

  it("re-creates the comment when the remembered one was deleted", async () => {
    mockCommentPages(TRACKING.repo, TRACKING.number, []);
    const posted = recordNewComments(TRACKING.repo, TRACKING.number, 900_001);
    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("created");

    nock(API).get(`/repos/${TRACKING.repo}/issues/comments/900001`).reply(404, { message: "Not Found" });
    mockCommentPages(TRACKING.repo, TRACKING.number, humanComments(3));
    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("created");
    expect(posted).toHaveLength(2);
  });

  it("ten concurrent refreshes write exactly once; those that found the project busy leave one follow-up", async () => {
    mockCommentPages(TRACKING.repo, TRACKING.number, humanComments(2));
    // The first POST is held until the other nine have run, so they meet the project locked: the
    // race is forced, not left to the scheduler. Later POSTs (a broken lock) are answered at once.
    const posted: string[] = [];
    let postArrived!: () => void;
    const firstPost = new Promise<void>((resolve) => (postArrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    nock(API)
      .persist()
      .post(`/repos/${TRACKING.repo}/issues/${TRACKING.number}/comments`)
      .reply(201, (_uri, body, callback) => {
        const text = String((body as { body: string }).body);
        posted.push(text);
        const answer = () => callback(null, ghComment(TRACKING.repo, TRACKING.number, 770_000 + posted.length, text, BOT));
        if (posted.length > 1) return answer();
        postArrived();
        void released.then(answer);
      });
    mockGetCommentAnyNumberOfTimes(770_001, () => posted[0]!);

    const first = refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli");
    await firstPost;
    const othersDone = Promise.all(Array.from({ length: 9 }, () => refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")));
    // Refreshes that wait for the first instead of stepping back would wait forever: say so and let go.
    const stuck = new Promise<"waited for the first">((resolve) => setTimeout(() => resolve("waited for the first"), 10_000).unref());
    const others = await Promise.race([othersDone, stuck]);
    release();
    expect(others).toEqual(Array<string>(9).fill("busy"));
    expect(await first).toBe("created");
    await othersDone;
    expect(posted).toHaveLength(1);

    // The busy ones collapsed into one follow-up job, which finds nothing new and writes nothing.
    expect(await queued("refresh-progress")).toBe(1);
    await runQueuedNow();
    expect(posted).toHaveLength(1);
    expect(await queued("refresh-progress")).toBe(0);
  });

  // Two processes on one PostgreSQL. (The embedded database is one process only, where the
  // in-process half of the lock is what the concurrent test above exercises.)
  (onEmbeddedDatabase() ? it.skip : it)("another process refreshing the same project makes this one step back", async () => {
    const other = new pg.Client({ connectionString: database.connectionString });
    await other.connect();
    try {
      await other.query("select pg_advisory_lock(hashtext('mentorship-tracker'), hashtext($1))", [`progress:${INSTALLATION_ID}:amp-2026/cli`]);
      expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("busy");
      expect(await queued("refresh-progress")).toBe(1);
    } finally {
      await other.end();
    }
  });

  it("a burst of 50 enqueues runs once through the worker and makes one edit", async () => {
    let body = "";
    mockCommentPages(TRACKING.repo, TRACKING.number, [ghComment(TRACKING.repo, TRACKING.number, 1500, `${MARKER}\nold`, BOT)]);
    nock(API)
      .patch(`/repos/${TRACKING.repo}/issues/comments/1500`, (b: { body: string }) => {
        body = b.body;
        return true;
      })
      .reply(200, () => ghComment(TRACKING.repo, TRACKING.number, 1500, body, BOT));
    for (let i = 0; i < 50; i++) {
      await addJob(database.db, {
        task: "refresh-progress",
        payload: { installationId: INSTALLATION_ID, programId: "amp-2026", projectId: "cli" },
        key: `progress:${INSTALLATION_ID}:amp-2026/cli`,
        keyMode: "preserve_run_at",
      });
    }
    expect(await queued("refresh-progress")).toBe(1);
    await app.runJobs();
    expect(body).toContain("## Mentorship progress");
  });

  it("a secondary rate limit fails the job, which graphile-worker retries later with back-off", async () => {
    mockCommentPages(TRACKING.repo, TRACKING.number, []);
    nock(API)
      .post(`/repos/${TRACKING.repo}/issues/${TRACKING.number}/comments`)
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "60" });
    await addJob(database.db, {
      task: "refresh-progress",
      payload: { installationId: INSTALLATION_ID, programId: "amp-2026", projectId: "cli" },
      key: `progress:${INSTALLATION_ID}:amp-2026/cli`,
    });
    await app.runJobs();

    const jobs = await sql<{ attempts: number; last_error: string; later: boolean }>`
      select attempts, last_error, run_at > now() as later from graphile_worker.jobs where task_identifier = 'refresh-progress'`.execute(database.db);
    expect(jobs.rows).toEqual([expect.objectContaining({ attempts: 1, later: true })]);
    expect(jobs.rows[0]!.last_error).toMatch(/secondary rate limit/);
    expect(app.logs.some((l) => l.level === 40 && l.msg === "job failed; it will be retried")).toBe(true);
    const remembered = await sql<{ n: number }>`select count(*)::int as n from posted_comments`.execute(database.db);
    expect(remembered.rows[0]!.n).toBe(0);
  });
});

describe("the app's own comments", () => {
  it("neither open a request nor queue a refresh, so the app cannot loop on itself", async () => {
    const own = commentCreated({ kind: "issue", number: 2001, author: mentor }, 9_100_001, "2026-07-10T11:00:00Z", ghBot(APP_SLUG), `${MARKER}\n## Mentorship progress`);
    setRepo(own, "asyncapi/community");
    await app.receive("issue_comment", own);
    await app.runJobs();

    const stored = await database.db.selectFrom("events").select(["actor_login", "actor_is_bot"]).where("repo", "=", "asyncapi/community").execute();
    expect(stored).toEqual([{ actor_login: "mentorship-tracker[bot]", actor_is_bot: true }]);
    expect(await database.db.selectFrom("requests").select("id").where("repo", "=", "asyncapi/community").execute()).toEqual([]);
    expect(await queued("refresh-progress")).toBe(0);
  });
});

describe("the tracking issue", () => {
  const OPENED = { repo: "asyncapi/community", number: 3001 };

  it("is opened once in the program's trackingRepo when the roster names none, and remembered", async () => {
    await reset(withoutTrackingIssue());
    const opened: Array<{ title: string; body: string }> = [];
    nock(API)
      .post("/repos/asyncapi/community/issues", (b: { title: string; body: string }) => {
        opened.push(b);
        return true;
      })
      .reply(201, { number: OPENED.number, id: 1, html_url: "https://github.com/asyncapi/community/issues/3001" });
    mockCommentPages(OPENED.repo, OPENED.number, []);
    const posted = recordNewComments(OPENED.repo, OPENED.number, 660_001);
    mockGetCommentAnyNumberOfTimes(660_001, () => String(posted[0]!.body.body), OPENED);

    // Three at once: one opens the issue; the others find it being opened and come back later.
    const results = await Promise.all([1, 2, 3].map(() => refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")));
    expect(results.filter((r) => r === "created")).toHaveLength(1);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.title).toBe("Mentorship: AsyncAPI Maintainership Program 2026 — AsyncAPI CLI");
    // Opening subscribes the project's people, once; nothing later mentions mentees.
    expect(mentions(opened[0]!.body).sort()).toEqual(["mentee-one", "mentee-two", "mentor-one", "mentor-two"]);
    expect(posted).toHaveLength(1);
    const row = await database.db.selectFrom("tracking_issues").select(["repo", "number"]).execute();
    expect(row).toEqual([OPENED]);

    // Later runs open nothing and, with nothing new, write nothing.
    mockGetCommentAnyNumberOfTimes(660_001, () => String(posted[0]!.body.body), OPENED);
    await runQueuedNow();
    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("unchanged");
    expect(opened).toHaveLength(1);
    expect(posted).toHaveLength(1);
  });

  it("without a tracking issue or a trackingRepo the project gets no comments", async () => {
    await reset(withoutTrackingIssue(null));
    expect(await refreshProgress(app.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("no tracking issue");
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

  const dryRunLines = () => dry.logs.filter((l) => l.msg === "dry run: write not sent");

  it("reads but writes nothing, and logs each write with its full body", async () => {
    mockCommentPages(TRACKING.repo, TRACKING.number, [ghComment(TRACKING.repo, TRACKING.number, 1600, `${MARKER}\nold`, BOT)]);
    dry.logs.splice(0);

    expect(await refreshProgress(dry.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("updated");
    const lines = dryRunLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(expect.objectContaining({ level: 30, method: "PATCH", url: "/repos/{owner}/{repo}/issues/comments/{comment_id}" }));
    const body = (lines[0]!.body as { body: string }).body;
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain("| asyncapi/cli#30 |");
  });

  it("previews the tracking issue it would open, and the comment on it, without remembering either", async () => {
    await reset(withoutTrackingIssue());
    dry.logs.splice(0);

    expect(await refreshProgress(dry.deps, INSTALLATION_ID, "amp-2026", "cli")).toBe("created");
    const lines = dryRunLines();
    expect(lines.map((l) => l.method)).toEqual(["POST", "POST"]);
    expect((lines[0]!.body as { title: string }).title).toBe("Mentorship: AsyncAPI Maintainership Program 2026 — AsyncAPI CLI");
    expect((lines[1]!.body as { body: string }).body.startsWith(MARKER)).toBe(true);
    expect(await database.db.selectFrom("tracking_issues").selectAll().execute()).toEqual([]);
    expect(await database.db.selectFrom("posted_comments").selectAll().execute()).toEqual([]);
  });
});
