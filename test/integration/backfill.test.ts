import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import { StandinOrg } from "../../src/demo/standin-graphql.js";
import { Backfill, reconcileJob } from "../../src/jobs/backfill.js";
import { runCli } from "../../src/cli/main.js";
import type { Octokit } from "../../src/github/octokit.js";
import { busyOrg, type Fault, mountGraphql, operationOf, storyThreads, storyWebhooks, TRANSFER_REPO } from "../helpers/backfill-story.js";
import { APP_ID, createTestApp, mockInstallationToken, privateKey, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { commentCreated, mentee, mentor, mentor2, ORG, REPO, stranger, worldModel } from "../helpers/scenario.js";

let database: DatabaseHandle;
let app: TestApp;
let nextInstallation = 8100;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  nock.cleanAll();
  expect(app.errors()).toEqual([]);
});

/** A fresh installation of the one-program world: each test its own, so their states never mix. */
async function installation(model = worldModel()): Promise<number> {
  nextInstallation += 1;
  const id = nextInstallation;
  await upsertInstallation(database.db, { id, accountLogin: ORG, accountId: 99, accountType: "Organization" });
  await saveRoster(database.db, id, model, null);
  mockInstallationToken(id).persist();
  return id;
}

async function derivedState(installationId: number) {
  const tasks = await database.db
    .selectFrom("tasks")
    .select(["repo", "number", "program_id", "project_id", "mentee_login", "title", "state", "linked_pr_number", "linked_pr_merged"])
    .where("installation_id", "=", installationId)
    .orderBy("repo")
    .orderBy("number")
    .execute();
  const requests = await database.db
    .selectFrom("requests")
    .select(["repo", "number", "mentee_login", "kind", "opened_at", "opened_by", "responded_at", "response_kind", "responder_login", "latency_seconds"])
    .where("installation_id", "=", installationId)
    .orderBy("repo")
    .orderBy("number")
    .orderBy("opened_at")
    .orderBy("kind")
    .execute();
  return { tasks, requests };
}

async function eventKeys(installationId: number): Promise<string[]> {
  const rows = await database.db.selectFrom("events").select("dedupe_key").where("installation_id", "=", installationId).orderBy("dedupe_key").execute();
  return rows.map((r) => r.dedupe_key);
}

/**
 * The event log as it reads once GitHub's own blind spots are set aside: the comments webhooks saw
 * created and deleted (GraphQL never shows them), and the keys named after a transferred issue's node
 * id (webhooks name the old issue, GraphQL the new one). Its comments keep their keys either way.
 */
async function comparableEventKeys(installationId: number): Promise<string[]> {
  const keys = await eventKeys(installationId);
  const deleted = new Set(keys.flatMap((k) => (k.startsWith("comment_deleted:") ? [k.split(":")[1]] : [])));
  const movedThread = /^(issue_\w+):I_test(14|20)(:|$)/;
  // Inline review comments are not read by the backfill: their reviews are (README, known limits).
  return keys.filter((k) => !deleted.has(k.split(":")[1]) && !movedThread.test(k) && !k.startsWith("review_comment_created:"));
}

/** The story's project also covers the repository #14 is transferred to. */
function storyModel() {
  const model = worldModel();
  model.programs[0]!.projects[0]!.repos = [REPO, TRANSFER_REPO];
  return model;
}

async function sendStory(installationId: number): Promise<void> {
  for (const [name, payload] of storyWebhooks(installationId)) {
    const response = await app.send(name, payload);
    expect(response.status).toBe(200);
  }
}

async function octokitFor(installationId: number): Promise<Octokit> {
  return (await app.probot.auth(installationId)) as Octokit;
}

async function queueBackfill(installationId: number): Promise<void> {
  await sql`select graphile_worker.add_job('backfill', ${JSON.stringify({ installationId })}::json, job_key := ${`backfill:${installationId}`})`.execute(database.db);
}

describe("backfill and webhooks agree", () => {
  it("tells the same story: same events, same tasks, same requests, whichever path (or both) brought it", async () => {
    const webhookOnly = await installation(storyModel());
    const backfillOnly = await installation(storyModel());
    const both = await installation(storyModel());
    const org = new StandinOrg(storyThreads());
    mountGraphql(org);

    await sendStory(webhookOnly);
    await app.runJobs();

    await queueBackfill(backfillOnly);
    await app.runJobs();

    await sendStory(both);
    await app.runJobs();
    await queueBackfill(both);
    await app.runJobs();

    const expected = await derivedState(webhookOnly);
    // The story is worth comparing: a task done by a merged PR, answered and waiting requests.
    expect(expected.tasks).toEqual([
      expect.objectContaining({ repo: REPO, number: 10, mentee_login: mentee.login, state: "done", linked_pr_number: 11, linked_pr_merged: true }),
      expect.objectContaining({ repo: REPO, number: 13, mentee_login: null, state: "open" }),
      // #14 lives on as asyncapi/generator#20, with the question asked before the move.
      expect.objectContaining({ repo: TRANSFER_REPO, number: 20, mentee_login: mentee.login, state: "done" }),
    ]);
    expect(expected.requests.map((r) => [r.repo, r.number, r.kind, r.responder_login, r.latency_seconds])).toEqual([
      // The deleted follow-up question on #10 opens nothing.
      [REPO, 10, "comment", mentor.login, 5 * 3600],
      // Answered by the review at its submission (11:00), not by its comment drafted at 09:00.
      [REPO, 11, "ready_for_review", mentor.login, 26 * 3600],
      [REPO, 11, "push_after_changes", mentor.login, 26 * 3600],
      // The mentor's deleted comment did not answer.
      [REPO, 12, "ready_for_review", null, null],
      // Same second: the question (id 999) came before the answer (id 1000).
      [REPO, 13, "comment", mentor.login, 0],
      [TRANSFER_REPO, 20, "comment", mentor.login, 24 * 3600],
    ]);

    expect(await derivedState(backfillOnly)).toEqual(expected);
    expect(await derivedState(both)).toEqual(expected);
    const keys = await comparableEventKeys(webhookOnly);
    expect(keys).toEqual(expect.arrayContaining(["comment_created:IC_test999", "comment_created:IC_test1007", "comment_created:IC_test1008"]));
    expect(await comparableEventKeys(backfillOnly)).toEqual(keys);
    expect(await comparableEventKeys(both)).toEqual(keys);
  });

  it("finds threads with the searches a roster implies, and reads each thread once", async () => {
    const id = await installation();
    const org = new StandinOrg(storyThreads());
    const queries: string[] = [];
    mountGraphql(org, [
      (request) => {
        if (operationOf(request) === "BackfillSearch") queries.push(String(request.variables?.q));
        return undefined;
      },
    ]);
    // The spy above is a fault that never answers, so it stays first in line for every request.
    await queueBackfill(id);
    await app.runJobs();
    expect(queries.sort()).toEqual(
      [
        "org:asyncapi involves:mentee-one updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
        "org:asyncapi involves:mentee-two updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
        "org:asyncapi reviewed-by:mentee-one updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
        "org:asyncapi reviewed-by:mentee-two updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
        `repo:${REPO} label:mentorship updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc`,
      ].sort(),
    );
    expect(org.counts.byOperation.BackfillThreads).toBe(1);

    // Queued again (a roster push): every search is done and every thread read, so nothing is asked.
    const before = org.counts.requests;
    await queueBackfill(id);
    await app.runJobs();
    expect(org.counts.requests).toBe(before);
  });
});

describe("roster growth", () => {
  it("a new mentee's searches run; the searches already done do not", async () => {
    const id = await installation();
    const org = new StandinOrg(storyThreads());
    const queries: string[] = [];
    mountGraphql(org, [
      (request) => {
        if (operationOf(request) === "BackfillSearch") queries.push(String(request.variables?.q));
        return undefined;
      },
    ]);
    const until = async () => {
      const run = (await Backfill.start(app.deps, await octokitFor(id), id))!;
      while ((await run.step()).kind !== "done");
    };
    await until();
    expect(queries).toHaveLength(5);

    const model = worldModel();
    model.programs[0]!.projects[0]!.mentees.push({ id: 5551, login: "mentee-three" });
    await saveRoster(database.db, id, model, "abc");
    await until();
    expect(queries.slice(5).sort()).toEqual([
      "org:asyncapi involves:mentee-three updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
      "org:asyncapi reviewed-by:mentee-three updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc",
    ]);
  });
});

describe("resumable", () => {
  it("a crash mid-way loses nothing and reads nothing twice", async () => {
    const id = await installation();
    const org = new StandinOrg(busyOrg(260, 3));
    const threadIds: string[] = [];
    let calls = 0;
    mountGraphql(org, [
      (request) => {
        calls += 1;
        if (operationOf(request) === "BackfillThreads") threadIds.push(...(request.variables?.ids as string[]));
        return undefined;
      },
    ]);

    const first = (await Backfill.start(app.deps, await octokitFor(id), id))!;
    // 7 search pages (260 threads are 3 pages for mentee-one), then 3 batches of 50 threads.
    for (let i = 0; i < 10; i += 1) expect((await first.step()).kind).toBe("progress");
    const midway = await first.status();
    expect(midway.threads.fetched).toBeGreaterThan(0);
    expect(midway.threads.fetched).toBeLessThan(260);

    // The process dies with a request in flight: the step fails, nothing of it is stored.
    nock.cleanAll();
    mockInstallationToken(id).persist();
    nock("https://api.github.com").post("/graphql").replyWithError("socket hang up");
    await expect(first.step()).rejects.toThrow(/socket hang up/);
    const threadsBeforeCrash = threadIds.length;
    mountGraphql(org, [
      (request) => {
        if (operationOf(request) === "BackfillThreads") threadIds.push(...(request.variables?.ids as string[]));
        return undefined;
      },
    ]);

    const second = (await Backfill.start(app.deps, await octokitFor(id), id))!;
    let outcome;
    do outcome = await second.step();
    while (outcome.kind === "progress");
    expect(outcome.kind).toBe("done");

    expect(threadIds.length).toBeGreaterThan(threadsBeforeCrash);
    expect(new Set(threadIds).size).toBe(threadIds.length);
    expect(new Set(threadIds).size).toBe(260);
    expect(await second.status()).toEqual({ searches: { done: 5, total: 5 }, threads: { fetched: 260, found: 260 } });
    const stored = await database.db.selectFrom("events").select(sql<string>`count(*)`.as("n")).where("installation_id", "=", id).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(260 * 4);
    expect(calls).toBeGreaterThan(0);
  });

  it("splits a search that matches more than GitHub's 1,000-result cap by date range", async () => {
    const id = await installation();
    const org = new StandinOrg(busyOrg(1500));
    mountGraphql(org);
    const run = (await Backfill.start(app.deps, await octokitFor(id), id))!;
    let status = await run.status();
    while (status.searches.done < status.searches.total) {
      expect((await run.step()).kind).toBe("progress");
      status = await run.status();
    }
    expect(status.threads.found).toBe(1500);
  });
});

describe("GitHub's limits", () => {
  it("waits for the rate limit by queueing itself for after the reset, not by retrying", async () => {
    const id = await installation();
    const org = new StandinOrg(storyThreads());
    const reset = Math.floor(Date.now() / 1000) + 3600;
    let limited = 0;
    mountGraphql(org, [
      () => {
        limited += 1;
        return {
          status: 200,
          body: { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for installation ID 1." }] },
          headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
        };
      },
    ]);
    await queueBackfill(id);
    await app.runJobs();
    expect(limited).toBe(1);
    expect(org.counts.requests).toBe(0);
    const queued = await sql<{ run_at: Date }>`select run_at from graphile_worker.jobs where task_identifier = 'backfill' and key = ${`backfill:${id}`}`.execute(database.db);
    expect(queued.rows).toHaveLength(1);
    const waits = queued.rows[0]!.run_at.getTime() / 1000 - reset;
    expect(waits).toBeGreaterThanOrEqual(0);
    expect(waits).toBeLessThan(60);
    expect(app.logs.some((l) => l.msg === "backfill waits for GitHub's rate limit")).toBe(true);
    await sql`delete from graphile_worker._private_jobs where key = ${`backfill:${id}`}`.execute(database.db);
  });

  it("on a 502 retries the same cursor with half the page size, once per halving", async () => {
    const id = await installation();
    const org = new StandinOrg(busyOrg(30));
    const sizes: Array<[string, unknown, unknown]> = [];
    let timeouts = 1;
    mountGraphql(org, [
      (request) => {
        sizes.push([operationOf(request), request.variables?.first, request.variables?.after ?? null]);
        return undefined;
      },
      (request) => (operationOf(request) === "BackfillSearch" && timeouts-- > 0 ? { status: 502, body: { message: "Server Error" } } : undefined),
    ]);
    const run = (await Backfill.start(app.deps, await octokitFor(id), id))!;
    let outcome;
    do outcome = await run.step();
    while (outcome.kind === "progress");
    expect(outcome.kind).toBe("done");
    expect(sizes[0]).toEqual(["BackfillSearch", 100, null]);
    expect(sizes[1]).toEqual(["BackfillSearch", 50, null]);
    expect(run.sizes).toEqual({ searchPage: 50, threadBatch: 25, timelinePage: 50 });
    expect((await run.status()).threads).toEqual({ fetched: 30, found: 30 });
    expect(app.logs.filter((l) => l.msg.startsWith("GitHub timed out"))).toHaveLength(1);
  });

  it("gives up (the job is retried later with back-off) when even one-item pages time out", async () => {
    const id = await installation();
    let calls = 0;
    mountGraphql(new StandinOrg([]), [
      ...Array.from({ length: 20 }, () => () => {
        calls += 1;
        return { status: 504, body: { message: "timeout" } };
      }),
    ]);
    const run = (await Backfill.start(app.deps, await octokitFor(id), id))!;
    let error: unknown;
    for (let i = 0; i < 20 && !error; i += 1) await run.step().catch((e) => (error = e));
    expect(error).toBeDefined();
    // 100 → 50 → 25 → 12 → 6 → 3 → 1: seven attempts, then the failure goes to the job's back-off.
    expect(calls).toBe(7);
    nock.cleanAll();
  });
});

describe("nightly reconciliation", () => {
  it("re-reads open work, stores what webhooks missed and the comments GitHub no longer has", async () => {
    const reference = await installation();
    const id = await installation();
    const org = new StandinOrg(storyThreads());
    mountGraphql(org);
    await sendStory(reference);
    // Two deliveries never arrived: the mentor's answer on the task, and the task's closing.
    const story = storyWebhooks(id).filter(([, p]) => p.comment?.id !== 1002 && !(p.action === "closed" && p.issue?.number === 10));
    for (const [name, payload] of story) expect((await app.send(name, payload)).status).toBe(200);
    // A mentor's comment that was deleted on GitHub while no webhook could reach us: until
    // reconciliation finds it gone, it answers the mentee's question.
    const deleted = commentCreated({ kind: "issue", number: 10, author: mentor, labels: ["mentorship"] }, 1099, "2026-06-17T11:00:00Z", mentor2);
    deleted.installation = { id };
    expect((await app.send("issue_comment", deleted)).status).toBe(200);
    await app.runJobs();
    const before = await derivedState(id);
    expect(before.requests.find((r) => r.number === 10)).toMatchObject({ responder_login: mentor2.login, latency_seconds: 3600 });

    const nightly = { ...app.deps, now: () => new Date("2026-06-26T03:43:00Z") };
    await reconcileJob(nightly, {});
    const fannedOut = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where key = ${`reconcile:${id}`}`.execute(database.db);
    expect(fannedOut.rows[0]!.n).toBe(1);
    await sql`delete from graphile_worker._private_jobs where key like 'reconcile:%'`.execute(database.db);

    await reconcileJob(nightly, { installationId: id });
    await app.runJobs();
    expect(await derivedState(id)).toEqual(await derivedState(reference));
    const keys = await eventKeys(id);
    expect(keys).toContain("comment_created:IC_test1002");
    expect(keys).toContain("comment_deleted:IC_test1099");
    // Only the threads with open work were read: #10 (waiting request) and #12 (waiting request), not #11.
    expect(org.counts.byOperation.BackfillThreads).toBe(1);
  });
});

describe("mentorship backfill", () => {
  async function cli(argv: string[], env: NodeJS.ProcessEnv) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
    return { code, stdout, stderr };
  }
  const credentials = () => ({ DATABASE_URL: database.connectionString, APP_ID: String(APP_ID), PRIVATE_KEY: privateKey(), WEBHOOK_SECRET: "unused-by-backfill" });

  it("imports one installation's history with progress, then derives it; a second run has nothing to do", async () => {
    const id = await installation(storyModel());
    const org = new StandinOrg(storyThreads());
    mountGraphql(org);
    const first = await cli(["backfill", "--program", "amp-2026", "--installation", String(id)], credentials());
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^asyncapi \[#{24}\] 5\/5 threads · 6\/6 searches · 7 points · ETA \S+ · \d+ s$/m);
    expect(first.stdout).toMatch(/^asyncapi: 6 searches, 5 threads \(5 read now\), 26 new events, 7 GitHub requests, 7 GraphQL points, \d+ s\n$/);
    expect((await derivedState(id)).requests).toHaveLength(6);

    const again = await cli(["backfill", "--installation", String(id)], credentials());
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^asyncapi: 6 searches, 5 threads \(0 read now\), 0 new events, 0 GitHub requests, 0 GraphQL points/);
  });

  it("says what is missing instead of failing somewhere inside", async () => {
    const noCredentials = await cli(["backfill"], { DATABASE_URL: database.connectionString });
    expect(noCredentials).toEqual({ code: 1, stdout: "", stderr: expect.stringContaining("set APP_ID and PRIVATE_KEY") });
    const badDate = await cli(["backfill", "--since", "last week"], credentials());
    expect(badDate).toEqual({ code: 2, stdout: "", stderr: 'mentorship backfill: --since: "last week" is not a date (use YYYY-MM-DD)\n' });
    const unknown = await cli(["backfill", "--program", "nope"], credentials());
    expect(unknown).toEqual({ code: 1, stdout: "", stderr: 'mentorship backfill: unknown program "nope" (see mentorship programs)\n' });
  });
});
