/**
 * Payload retention through the real path: signed deliveries → events → derivation, then the nightly
 * trim. Titles (but each thread's newest), links and other people's logins go; every figure stays,
 * also when the installation is derived again from the trimmed log, when the same activity is stored
 * again (a redelivery, the backfill, reconciliation) and when new activity arrives after the trim.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob } from "../../src/db/events.js";
import { trimInstallationPayloads } from "../../src/jobs/trim-payloads.js";
import { responseTimeReport } from "../../src/reports/response-times.js";
import { createTestApp, deliverStory, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { commentCreated, INSTALLATION_ID, issueAction, mentee, mentee2, mentor, prAction, prOpened, reviewSubmitted, seedWorld, stranger, worldModel } from "../helpers/scenario.js";

const REPORT_AT = new Date("2026-10-01T00:00:00Z");
let clock = new Date("2026-07-20T00:00:00Z");
let database: DatabaseHandle;
let app: TestApp;

const task = { kind: "issue" as const, number: 30, author: mentor, labels: ["mentorship"] };
const elsewhere = { kind: "issue" as const, number: 70, author: stranger };
const story: Array<[string, Record<string, any>]> = [
  ["issues", issueAction("labeled", 30, "2026-06-20T09:00:00Z", mentor, { labels: ["mentorship"], label: "mentorship", title: "First title" })],
  ["issues", issueAction("assigned", 30, "2026-06-20T09:05:00Z", mentor, { labels: ["mentorship"], assignee: mentee, title: "Add --watch to validate" })],
  ["pull_request", prOpened(60, "2026-07-01T09:00:00Z", mentee, { body: "Closes #30" })],
  ["pull_request_review", reviewSubmitted(60, 7001, "2026-07-01T15:00:00Z", mentor, mentee, "changes_requested")],
  // A question to a mentor on someone else's issue: a request only through the stored mention.
  ["issue_comment", commentCreated(elsewhere, 8001, "2026-07-02T09:00:00Z", mentee2, "@mentor-one could you help here?")],
  ["issue_comment", commentCreated(elsewhere, 8002, "2026-07-02T12:00:00Z", mentor, "Sure")],
  ["issue_comment", commentCreated(task, 8003, "2026-07-10T09:00:00Z", mentee, "Still on it")],
];

async function derived() {
  const requests = await sql`select program_id, project_id, mentee_id, repo, number, kind, opened_at, responded_at, responder_id, latency_seconds,
    closed_unanswered_at, first_mentor_id from requests order by repo, number, opened_at`.execute(database.db);
  const tasks = await sql<Record<string, unknown>>`select repo, number, program_id, project_id, mentee_id, title, state, milestone_id, linked_pr_number from tasks order by repo, number`.execute(database.db);
  const report = await responseTimeReport(database.db, INSTALLATION_ID, "amp-2026", {}, REPORT_AT);
  return { requests: requests.rows, tasks: tasks.rows, totals: report.totals, byMentor: report.byMentor };
}

const eventData = async () =>
  (await sql<{ repo: string; number: number; kind: string; data: Record<string, any> }>`select repo, number, kind, data from events order by occurred_at, id`.execute(database.db)).rows;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  await seedWorld(database.db, worldModel({ privacy: { optOut: [], payloadRetentionSeconds: 30 * 86_400 } }));
  await deliverStory(app, story);
}, 60_000);

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  expect(app.errors()).toEqual([]);
});

describe("payload retention", () => {
  it("keeps everything younger than the retention period", async () => {
    clock = new Date("2026-07-15T00:00:00Z");
    const before = await eventData();
    expect(await trimInstallationPayloads(app.deps, INSTALLATION_ID)).toBe(0);
    expect(await eventData()).toEqual(before);
  });

  it("trims older payloads to what the figures come from, and the figures stay, derived again or not", async () => {
    const before = await derived();
    expect(before.requests.length).toBe(3);
    expect(before.tasks).toMatchObject([{ mentee_id: mentee.id, state: "in progress", linked_pr_number: 60 }]);
    expect(before.tasks[0]!["title"]).not.toBe("");
    const eventsBefore = await eventData();
    expect(eventsBefore.some((e) => e.data.url)).toBe(true);

    clock = new Date("2026-12-01T00:00:00Z");
    expect(await trimInstallationPayloads(app.deps, INSTALLATION_ID)).toBeGreaterThan(0);
    const after = await eventData();
    expect(after).toHaveLength(eventsBefore.length);
    expect(after.filter((e) => e.data.url !== undefined)).toEqual([]);
    expect(after.filter((e) => e.data.assignee !== undefined)).toEqual([expect.objectContaining({ data: expect.objectContaining({ assignee: { id: mentee.id } }) })]);
    // One title per thread is left, its newest: what its task shows.
    const titled = after.filter((e) => e.data.title !== undefined).map((e) => `${e.repo}#${e.number}`);
    expect(titled.sort()).toEqual([...new Set(eventsBefore.map((e) => `${e.repo}#${e.number}`))].sort());
    // What derivation reads stays: the mention that made a request, the review's state, the linked issue.
    expect(after.find((e) => e.kind === "comment_created" && e.number === 70 && e.data.mentions)?.data.mentions).toEqual(["mentor-one"]);
    expect(after.find((e) => e.kind === "review_submitted")?.data.reviewState).toBe("changes_requested");
    expect(after.find((e) => e.kind === "pr_opened")?.data.linkedIssues).toEqual([30]);

    expect(await derived()).toEqual(before);
    await addJob(database.db, { task: "rederive-installation", payload: { installationId: INSTALLATION_ID } });
    await app.runJobs();
    expect(await derived()).toEqual(before);
    expect(await trimInstallationPayloads(app.deps, INSTALLATION_ID)).toBe(0);
  });

  it("the same activity stored again adds nothing, and new activity after the trim still derives", async () => {
    const before = await derived();
    const count = async () => Number((await sql<{ n: number }>`select count(*)::int as n from events`.execute(database.db)).rows[0]!.n);
    const events = await count();
    await deliverStory(app, story);
    expect(await count()).toBe(events);
    expect(await derived()).toEqual(before);

    // Delivered late (as the backfill or reconciliation would store it): the push after the changes
    // requested on the trimmed thread, and the mentor's answer. A new request, answered, from trimmed history.
    await deliverStory(app, [
      ["pull_request", prAction("synchronize", 60, "2026-07-03T10:00:00Z", mentee, mentee, { body: "Closes #30" })],
      ["issue_comment", commentCreated({ kind: "pr", number: 60, author: mentee }, 8004, "2026-07-03T12:00:00Z", mentor, "Looks good now")],
    ]);
    const now = await derived();
    expect(now.requests).toHaveLength(before.requests.length + 1);
    expect(now.requests).toContainEqual(expect.objectContaining({ number: 60, kind: "push_after_changes", latency_seconds: 7200 }));
    expect(now.tasks).toEqual(before.tasks);
  });
});
