import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import { responseTimeReport } from "../../src/reports/response-times.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { permutations } from "../helpers/events.js";
import {
  commentCreated,
  commentDeleted,
  INSTALLATION_ID,
  issueAction,
  mentee,
  mentor,
  mentor2,
  ORG,
  prAction,
  prOpened,
  reviewCommentCreated,
  reviewSubmitted,
  seedWorld,
  stranger,
  worldModel,
} from "../helpers/scenario.js";

/**
 * Threads whose truth differs from their raw event log, through the real path: signed deliveries in
 * several orders → events → derive-thread → tasks and requests.
 */

type Rec = Record<string, any>;

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
  await seedWorld(database.db);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
});

async function deliver(deliveries: Array<[string, Rec]>): Promise<void> {
  for (const [name, payload] of deliveries) expect((await app.send(name, payload)).status).toBe(200);
  await app.runJobs();
  await app.runJobs();
}

async function requestsOf(number: number, installationId = INSTALLATION_ID) {
  return database.db
    .selectFrom("requests")
    .select(["kind", "opened_at", "responder_login", "latency_seconds", "first_mentor_login", "first_mentor_latency_seconds"])
    .where("installation_id", "=", installationId)
    .where("number", "=", number)
    .orderBy("opened_at")
    .execute();
}

async function taskOf(number: number) {
  return database.db.selectFrom("tasks").select(["state", "linked_pr_number"]).where("number", "=", number).executeTakeFirst();
}

describe("deleted comments", () => {
  it("a mentor's deleted comment answers nothing and a mentee's deleted question asks nothing, in any delivery order", async () => {
    const orders = permutations([0, 1, 2, 3]).filter((_, i) => i % 6 === 0); // 4 of the 24, deletion-first among them
    expect(orders.some((o) => o.indexOf(2) < o.indexOf(1))).toBe(true);
    let number = 300;
    for (const order of orders) {
      number += 1;
      const pr = { kind: "pr" as const, number, author: mentee };
      const story: Array<[string, Rec]> = [
        ["pull_request", prOpened(number, "2026-07-01T09:00:00Z", mentee)],
        ["issue_comment", commentCreated(pr, number * 10 + 1, "2026-07-01T09:14:00Z", mentor, "first!")],
        // Deleted the same second: the deletion and the creation tie on their instant.
        ["issue_comment", commentDeleted(pr, number * 10 + 1, "2026-07-01T09:14:00Z", mentor)],
        ["issue_comment", commentCreated(pr, number * 10 + 2, "2026-07-01T17:56:00Z", mentor2)],
      ];
      await deliver(order.map((i) => story[i]!));
      expect(await requestsOf(number)).toEqual([
        expect.objectContaining({ kind: "ready_for_review", responder_login: mentor2.login, latency_seconds: 8 * 3600 + 56 * 60 }),
      ]);
    }

    const task = { kind: "issue" as const, number: 320, author: mentor, labels: ["mentorship"] };
    await deliver([
      ["issue_comment", commentDeleted(task, 3201, "2026-07-02T10:00:00Z", mentee)],
      ["issues", issueAction("opened", 320, "2026-07-01T08:00:00Z", mentor, { labels: ["mentorship"] })],
      ["issue_comment", commentCreated(task, 3201, "2026-07-02T10:00:00Z", mentee, "oops, wrong issue")],
    ]);
    expect(await requestsOf(320)).toEqual([]);
  });
});

describe("ordering and dating", () => {
  it("two comments in one second are ordered by GitHub's numeric ids, not their node ids", async () => {
    const task = { kind: "issue" as const, number: 330, author: mentor, labels: ["mentorship"] };
    // "IC_test1000" sorts before "IC_test999" as a string; 999 was created first.
    await deliver([
      ["issues", issueAction("opened", 330, "2026-07-01T08:00:00Z", mentor, { labels: ["mentorship"] })],
      ["issue_comment", commentCreated(task, 1000, "2026-07-02T10:00:00Z", mentor, "sure, go ahead")],
      ["issue_comment", commentCreated(task, 999, "2026-07-02T10:00:00Z", mentee, "can I take this?")],
    ]);
    expect(await requestsOf(330)).toEqual([expect.objectContaining({ kind: "comment", responder_login: mentor.login, latency_seconds: 0 })]);
  });

  it("inline comments drafted before their review answer at the review's submission", async () => {
    await deliver([
      ["pull_request", prOpened(340, "2026-07-01T09:00:00Z", mentee)],
      ["pull_request_review_comment", reviewCommentCreated(340, 34001, 3400, "2026-07-01T10:00:00Z", mentor, mentee)],
      ["pull_request_review", reviewSubmitted(340, 3400, "2026-07-01T15:00:00Z", mentor, mentee, "commented")],
    ]);
    expect(await requestsOf(340)).toEqual([expect.objectContaining({ responder_login: mentor.login, latency_seconds: 6 * 3600 })]);
  });
});

describe("tasks", () => {
  const labels = ["mentorship"];

  it("a task closed as a duplicate is dropped, not done", async () => {
    await deliver([
      ["issues", issueAction("opened", 350, "2026-07-01T08:00:00Z", mentee, { labels })],
      ["issues", issueAction("closed", 350, "2026-07-02T08:00:00Z", mentor, { author: mentee, labels, stateReason: "duplicate" })],
    ]);
    expect(await taskOf(350)).toEqual(expect.objectContaining({ state: "dropped" }));
  });

  it("a PR edited to drop \"Closes #N\" no longer links the task", async () => {
    await deliver([
      ["issues", issueAction("opened", 360, "2026-07-01T08:00:00Z", mentor, { labels })],
      ["pull_request", prOpened(361, "2026-07-02T08:00:00Z", mentee, { body: "Closes #360" })],
    ]);
    expect(await taskOf(360)).toEqual({ state: "in progress", linked_pr_number: 361 });
    await deliver([["pull_request", prAction("edited", 361, "2026-07-03T08:00:00Z", mentee, mentee, { body: "Part of #360" })]]);
    expect(await taskOf(360)).toEqual({ state: "open", linked_pr_number: null });
  });
});

describe("responders: anyone", () => {
  it("keeps the first response and the first mentor response apart; the mentor's row measures the mentor", async () => {
    const installationId = INSTALLATION_ID + 1;
    await upsertInstallation(database.db, { id: installationId, accountLogin: `${ORG}-open`, accountId: 98, accountType: "Organization" });
    await saveRoster(database.db, installationId, worldModel({ responders: "anyone" }), null);
    const elsewhere = (p: Rec): Rec => ({ ...p, installation: { id: installationId, node_id: "MDIy" } });
    const pr = { kind: "pr" as const, number: 370, author: mentee };
    await deliver([
      ["pull_request", elsewhere(prOpened(370, "2026-07-01T09:00:00Z", mentee))],
      ["issue_comment", elsewhere(commentCreated(pr, 37001, "2026-07-01T09:00:19Z", stranger, "Welcome! Thanks for your PR"))],
      ["pull_request_review", elsewhere(reviewSubmitted(370, 3701, "2026-07-01T17:56:00Z", mentor, mentee, "approved"))],
    ]);
    expect(await requestsOf(370, installationId)).toEqual([
      expect.objectContaining({ responder_login: stranger.login, latency_seconds: 19, first_mentor_login: mentor.login, first_mentor_latency_seconds: 32160 }),
    ]);
    const report = await responseTimeReport(database.db, installationId, "amp-2026", {}, new Date("2026-07-10T00:00:00Z"));
    expect(report.totals).toMatchObject({ answered: 1, maxSeconds: 19 });
    expect(report.byMentor.find((m) => m.login === mentor.login)).toMatchObject({ answeredFirst: 1, answered: 1, maxSeconds: 32160 });
    expect(report.byMentor.find((m) => m.login === mentor2.login)).toMatchObject({ answeredFirst: 0, maxSeconds: 32160 });
  });
});
