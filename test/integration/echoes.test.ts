/**
 * GitHub sends the app's own writes back to it: every comment it posts or edits arrives again as an
 * `issue_comment.created` / `.edited` delivery from its bot user. Here a stand-in GitHub does exactly
 * that (and another bot chatters on the same threads) while time passes; the progress comment must be
 * edited only when something a person did changed what it shows.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { appIdentity } from "../../src/github/comments.js";
import { createTestApp, mockInstallationToken, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { API, APP_SLUG, BOT, ghComment, mockApp } from "../helpers/github-comments.js";
import { ghBot, setRepo } from "../helpers/payloads.js";
import { admin, commentCreated, INSTALLATION_ID, mentee, mentee2, mentor, prOpened, seedWorld } from "../helpers/scenario.js";

const TRACKING = { repo: "asyncapi/community", number: 2001 };
const START = new Date("2026-07-10T12:00:00Z");
const PROGRESS_ID = 880_001;
const otherBot = ghBot("ci-helper");
const appBot = ghBot(APP_SLUG, { id: BOT.id });

let database: DatabaseHandle;
let app: TestApp;
let clock = START;
let commentSeq = 0;

/** What the stand-in GitHub saw, and the echoes it owes the app. */
let writes: Array<{ method: "POST" | "PATCH"; body: string }> = [];
let progressBody: string | null = null;
let echoes: Array<Record<string, unknown>> = [];

const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");

function trackingComment(user: typeof mentee, body: string, id = 9_200_000 + ++commentSeq): Record<string, any> {
  const p = commentCreated({ kind: "issue", number: TRACKING.number, author: admin }, id, clock.toISOString(), user, body);
  setRepo(p, TRACKING.repo);
  return p;
}

/** The delivery GitHub sends after one of the app's writes: its bot user commented or edited. */
function echoOf(action: "created" | "edited", body: string): Record<string, unknown> {
  const p = trackingComment(appBot, body, PROGRESS_ID);
  p.action = action;
  p.comment.created_at = at(0);
  p.comment.updated_at = clock.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (action === "edited") p.changes = { body: { from: "(previous body)" } };
  return p;
}

function standInGitHub(): void {
  const comments = () => (progressBody === null ? [] : [ghComment(TRACKING.repo, TRACKING.number, PROGRESS_ID, progressBody, BOT)]);
  nock(API).persist().get(`/repos/${TRACKING.repo}/issues/${TRACKING.number}/comments`).query(true).reply(200, () => comments());
  nock(API)
    .persist()
    .get(`/repos/${TRACKING.repo}/issues/comments/${PROGRESS_ID}`)
    .reply(() => (progressBody === null ? [404, { message: "Not Found" }] : [200, comments()[0]]));
  nock(API)
    .persist()
    .post(`/repos/${TRACKING.repo}/issues/${TRACKING.number}/comments`)
    .reply(201, (_path, body) => {
      progressBody = String((body as { body: string }).body);
      writes.push({ method: "POST", body: progressBody });
      echoes.push(echoOf("created", progressBody));
      return ghComment(TRACKING.repo, TRACKING.number, PROGRESS_ID, progressBody, BOT);
    });
  nock(API)
    .persist()
    .patch(`/repos/${TRACKING.repo}/issues/comments/${PROGRESS_ID}`)
    .reply(200, (_path, body) => {
      progressBody = String((body as { body: string }).body);
      writes.push({ method: "PATCH", body: progressBody });
      echoes.push(echoOf("edited", progressBody));
      return ghComment(TRACKING.repo, TRACKING.number, PROGRESS_ID, progressBody, BOT);
    });
}

async function deliver(name: string, payload: unknown): Promise<void> {
  const response = await app.send(name, payload);
  expect(response.status).toBeLessThan(300);
}

/** `minutes` later: GitHub delivers its echoes and another bot's comment, then due jobs run. */
async function later(minutes: number): Promise<void> {
  clock = new Date(clock.getTime() + minutes * 60_000);
  for (const echo of echoes.splice(0)) await deliver("issue_comment", echo);
  await deliver("issue_comment", trackingComment(otherBot, "CI: all checks passed"));
  await runQueuedNow();
}

/** Stored deliveries are expanded and every queued job runs now, whatever its delay, as if its time had come, and so do the jobs they queue. */
async function runQueuedNow(): Promise<void> {
  for (let round = 0; round < 5; round++) {
    await app.expand();
    const pending = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where attempts = 0`.execute(database.db);
    if (pending.rows[0]!.n === 0) return;
    await sql`update graphile_worker._private_jobs set run_at = now()`.execute(database.db);
    await app.runJobs();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock, progressDelaySeconds: 60 });
  await seedWorld(database.db);
  mockInstallationToken(INSTALLATION_ID);
  mockApp();
  await appIdentity(app.deps);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

beforeEach(async () => {
  clock = START;
  writes = [];
  echoes = [];
  progressBody = null;
  await sql`delete from events`.execute(database.db);
  await sql`delete from requests`.execute(database.db);
  await sql`delete from posted_comments`.execute(database.db);
  await sql`delete from graphile_worker._private_jobs`.execute(database.db);
  standInGitHub();
});

afterEach(() => {
  nock.cleanAll();
  expect(app.errors()).toEqual([]);
});

describe("with GitHub echoing the app's own writes", () => {
  it("the progress comment is edited only when something a person did changed it", async () => {
    await deliver("issue_comment", trackingComment(mentee2, "How do I run the tests?"));
    await runQueuedNow();
    expect(writes.map((w) => w.method)).toEqual(["POST"]);
    expect(progressBody).toContain("asyncapi/community#2001 from **mentee-two**, waiting under 1h");

    // Two and a half hours of echoes and another bot's comments, nobody else doing anything.
    for (let i = 0; i < 15; i++) await later(10);
    expect(writes.map((w) => w.method)).toEqual(["POST"]);

    // A mentor answers: that changes the comment, once; its echo and more bot chatter change nothing.
    await deliver("issue_comment", trackingComment(mentor, "Run npm test."));
    await runQueuedNow();
    for (let i = 0; i < 6; i++) await later(10);
    expect(writes.map((w) => w.method)).toEqual(["POST", "PATCH"]);
    expect(writes[1]!.body).toContain("Nobody is waiting for a mentor.");

    // The echoes were stored (they are GitHub's record), but opened and answered nothing.
    const own = await database.db.selectFrom("events").select("kind").where("actor_login", "=", appBot.login).execute();
    expect(own.map((e) => e.kind).sort()).toEqual(["comment_created", "comment_edited"]);
    const requests = await database.db.selectFrom("requests").select(["mentee_login", "responder_login"]).execute();
    expect(requests).toEqual([{ mentee_login: mentee2.login, responder_login: mentor.login }]);
  });

  it("refreshes that people cause rewrite a body whose only change is the waiting age at most once an hour", async () => {
    await deliver("issue_comment", trackingComment(mentee2, "How do I run the tests?"));
    // A draft opens no request of its own, but the mentee's PR is the project's: activity on it refreshes.
    await deliver("pull_request", prOpened(41, START.toISOString(), mentee, { draft: true }));
    await runQueuedNow();
    expect(writes.map((w) => w.method)).toEqual(["POST"]);

    // A mentor chats on the mentee's PR every 10 minutes for 3 hours: each comment refreshes the
    // project, and only the tracking issue's waiting age moves (to the minute it would every time).
    for (let minute = 10; minute <= 180; minute += 10) {
      clock = new Date(START.getTime() + minute * 60_000);
      await deliver("issue_comment", mentorNoteOnPr(41, minute));
      await runQueuedNow();
      for (const echo of echoes.splice(0)) await deliver("issue_comment", echo);
    }
    const ages = writes.map((w) => /#2001 from \*\*mentee-two\*\*, waiting ([^\n·]+)/.exec(w.body)?.[1]?.trim());
    expect(ages).toEqual(["under 1h", "1h", "2h", "3h"]);
  });
});

/** A mentor's comment on PR `number` (as `issue_comment` on the PR's conversation). */
function mentorNoteOnPr(number: number, minute: number): Record<string, unknown> {
  return commentCreated({ kind: "pr", number, author: mentee }, 9_300_000 + minute, at(minute), mentor, `Note ${minute}`);
}
