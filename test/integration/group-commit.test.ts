/**
 * Group commit, expansion and the dirty set through the real path: signed deliveries over HTTP arrive
 * while a commit is running and are stored together; each is acknowledged only with the commit that
 * held it; a batch that loses its connection is stored item by item, or, when the database is gone,
 * fails every one of its deliveries and leaves nothing half-stored; a delivery whose events the
 * database refuses is set aside at expansion without holding back its neighbours; a thread touched
 * while it is being derived is derived again; and derivation goes on while GitHub-bound jobs wait. The faults are injected between the app and a real database (test/helpers/faulty-pool.ts),
 * so this runs on PostgreSQL and on the embedded database alike.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { createTestApp, nextDeliveryId, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { installationsMarkedWithoutDrain } from "../../src/db/dirty-threads.js";
import { addJob, drainJob } from "../../src/db/events.js";
import { acceptDeliveries } from "../../src/db/inbox.js";
import { upsertInstallation } from "../../src/db/rosters.js";
import { startWorker } from "../../src/jobs/worker.js";
import { receiveDeliveries } from "../../src/webhooks/receive.js";
import { type FaultyPool, faultyPool } from "../helpers/faulty-pool.js";
import { ghUser } from "../helpers/payloads.js";
import { INSTALLATION_ID, mentee, mentee2, mentor, prOpened, reviewSubmitted, seedWorld } from "../helpers/scenario.js";

let database: DatabaseHandle;
let faulty: FaultyPool;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedWorld(database.db);
  faulty = faultyPool(database.pool);
  app = await createTestApp({ ...database, db: faulty.db });
});

afterAll(async () => {
  await app.close();
  await faulty.destroy();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
});

interface Sent {
  id: string;
  name: string;
  payload: unknown;
}

const opened = (number: number, hour: number): Sent => ({
  id: nextDeliveryId(),
  name: "pull_request",
  payload: prOpened(number, `2026-07-01T${String(hour).padStart(2, "0")}:00:00Z`, number % 2 === 0 ? mentee : mentee2),
});
const reviewed = (number: number, hour: number): Sent => ({
  id: nextDeliveryId(),
  name: "pull_request_review",
  payload: reviewSubmitted(number, 800_000 + number, `2026-07-01T${String(hour + 3).padStart(2, "0")}:00:00Z`, mentor, number % 2 === 0 ? mentee : mentee2, "commented"),
});
const send = (d: Sent) => app.send(d.name, d.payload, { id: d.id });

/** The request path's one statement (src/db/inbox.ts), which is its commit. */
const ACCEPT = /^insert into deliveries \(id, event, body\)/;

/** Deliveries sent while a lone delivery's commit is held: they queue behind it and commit together once it is released. */
async function sentDuringACommit(lone: Sent, burst: Sent[]): Promise<{ lone: number; burst: number[] }> {
  const held = faulty.hold(ACCEPT);
  const first = send(lone);
  await held.reached;
  const rest = burst.map(send);
  // They travel over HTTP to the group commit's queue: ample time to get there.
  await new Promise((r) => setTimeout(r, 1000));
  held.release();
  return { lone: (await first).status, burst: (await Promise.all(rest)).map((r) => r.status) };
}

async function storedIds(ids: string[]): Promise<Array<{ id: string; at: string }>> {
  return database.db.selectFrom("deliveries").select(["id", sql<string>`received_at::text`.as("at")]).where("id", "in", ids).execute();
}

async function requestsOf(numbers: number[]) {
  return database.db
    .selectFrom("requests")
    .select(["number", "kind", "responder_login", "latency_seconds"])
    .where("number", "in", numbers)
    .orderBy("number")
    .execute();
}

/** Transactions that stored these deliveries: now() is one instant per transaction. */
const transactions = (rows: Array<{ at: string }>) => new Set(rows.map((r) => r.at)).size;

describe("concurrent signed deliveries", () => {
  it("share commits, each acknowledged once stored: exactly once per GUID, and the same requests as one by one", async () => {
    const prs = [101, 102, 103, 104, 105, 106, 107, 108];
    const burst = [...prs.map((n, i) => opened(n, i)), ...prs.filter((n) => n % 2 === 0).map((n, i) => reviewed(n, 2 * i + 1))];
    // A redelivery racing its original (same GUID), and the same review redelivered under a new GUID.
    const racing = { ...burst[0]! };
    const underNewGuid = { ...burst[burst.length - 1]!, id: nextDeliveryId() };
    const statuses = await sentDuringACommit(opened(100, 0), [...burst, racing, underNewGuid]);

    expect(statuses.lone).toBe(200);
    expect(statuses.burst.every((s) => s === 200)).toBe(true);
    const stored = await storedIds([...burst, underNewGuid].map((d) => d.id));
    expect(stored).toHaveLength(burst.length + 1);
    expect(transactions(stored)).toBeLessThan(stored.length);
    await app.expand();
    const events = await sql<{ n: number }>`select count(*)::int as n from events where number between 101 and 108`.execute(database.db);
    expect(events.rows[0]!.n).toBe(burst.length);

    await app.runJobs();
    expect(await requestsOf(prs)).toEqual(
      prs.map((number) =>
        expect.objectContaining({ number, kind: "ready_for_review", responder_login: number % 2 === 0 ? "mentor-one" : null }),
      ),
    );
    const dirty = await sql<{ n: number }>`select count(*)::int as n from dirty_threads`.execute(database.db);
    expect(dirty.rows[0]!.n).toBe(0);
  });

  it("one delivery whose events the database refuses is set aside at expansion: its neighbours are expanded, its body kept", async () => {
    // A login PostgreSQL cannot store (a NUL byte): no GitHub payload has one, a forged one might.
    const poisoned = { id: nextDeliveryId(), name: "pull_request", payload: prOpened(119, "2026-07-01T05:00:00Z", ghUser("nul\u0000login")) };
    const neighbours = [opened(111, 1), opened(112, 2), opened(113, 3), opened(114, 4)];
    const statuses = await sentDuringACommit(opened(110, 0), [neighbours[0]!, neighbours[1]!, poisoned, neighbours[2]!, neighbours[3]!]);

    // The body is stored as it came (JSON escapes the NUL), so every delivery is acknowledged.
    expect(statuses.lone).toBe(200);
    expect(statuses.burst).toEqual([200, 200, 200, 200, 200]);
    expect(await app.expand()).toBe(6);
    const events = await sql<{ number: number }>`select distinct number from events where number between 110 and 119 order by 1`.execute(database.db);
    expect(events.rows.map((r) => r.number)).toEqual([110, 111, 112, 113, 114]);
    const aside = await database.db.selectFrom("deliveries").select(["body", "expand_error"]).where("id", "=", poisoned.id).executeTakeFirstOrThrow();
    expect(aside.expand_error).toMatch(/unicode|\\u0000/i);
    expect(JSON.parse(aside.body!)).toEqual(poisoned.payload);
    expect(app.errors()).toEqual([expect.objectContaining({ delivery: poisoned.id, msg: expect.stringMatching(/set aside/) })]);
    app.logs.splice(0);
    // Set aside means not pending: the next run leaves it alone.
    expect(await app.expand()).toBe(0);
  });

  it("a connection lost part-way through a batch: the batch rolls back, each delivery is stored on its own, once", async () => {
    const burst = [opened(121, 1), opened(122, 2), opened(123, 3), opened(124, 4)];
    const held = faulty.hold(ACCEPT);
    const first = send(opened(120, 0));
    await held.reached;
    // The lone delivery's statement is past this trap; the next one is the batch's.
    faulty.breakAt(ACCEPT);
    const rest = burst.map(send);
    await new Promise((r) => setTimeout(r, 1000));
    held.release();

    expect((await first).status).toBe(200);
    expect((await Promise.all(rest)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const stored = await storedIds(burst.map((d) => d.id));
    expect(stored).toHaveLength(burst.length);
    await app.expand();
    const events = await sql<{ n: number }>`select count(*)::int as n from events where number between 121 and 124`.execute(database.db);
    expect(events.rows[0]!.n).toBe(burst.length);
  });

  it("the database gone part-way through a batch: every delivery of it gets a 5xx, none is half-stored, each is stored once when sent again", async () => {
    const burst = [opened(131, 1), opened(132, 2), opened(133, 3), opened(134, 4)];
    const held = faulty.hold(ACCEPT);
    const first = send(opened(130, 0));
    await held.reached;
    faulty.breakAt(ACCEPT, { down: true });
    const rest = burst.map(send);
    await new Promise((r) => setTimeout(r, 1000));
    held.release();

    expect((await first).status).toBe(200);
    expect((await Promise.all(rest)).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    faulty.recover();
    expect(await storedIds(burst.map((d) => d.id))).toEqual([]);
    expect(app.errors().length).toBeGreaterThanOrEqual(burst.length);
    app.logs.splice(0);

    // GitHub's redelivery, under the same GUIDs, one of them twice.
    const again = await Promise.all([...burst, burst[0]!].map(send));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await storedIds(burst.map((d) => d.id))).toHaveLength(burst.length);
    await app.runJobs();
    expect((await requestsOf([131, 132, 133, 134])).map((r) => r.number)).toEqual([131, 132, 133, 134]);
  });
});

describe("the dirty set", () => {
  it("a thread touched while it is being derived is derived again with what the touch brought", async () => {
    const pr = opened(140, 9);
    expect((await send(pr)).status).toBe(200);
    // The drain has read the thread's events and is about to look for transfers into it.
    const held = faulty.hold(/select distinct data->'transferredTo' as target from events/);
    const draining = app.runJobs();
    await held.reached;
    expect((await send(reviewed(140, 10))).status).toBe(200);
    held.release();
    await draining;
    await app.runJobs();

    expect(await requestsOf([140])).toEqual([
      expect.objectContaining({ kind: "ready_for_review", responder_login: "mentor-one", latency_seconds: 4 * 3600 }),
    ]);
    const dirty = await sql<{ n: number }>`select count(*)::int as n from dirty_threads`.execute(database.db);
    expect(dirty.rows[0]!.n).toBe(0);
  });

  it("many deliveries to one thread mark it once and derive it once per drain", async () => {
    // Distinct reviews of one PR: each its own event, all on one thread.
    const comments = Array.from({ length: 12 }, (_, i) => ({
      id: nextDeliveryId(),
      name: "pull_request_review",
      payload: reviewSubmitted(150, 900_000 + i, `2026-07-01T${String(3 + i).padStart(2, "0")}:00:00Z`, mentor, mentee, "commented"),
    }));
    expect((await send(opened(150, 0))).status).toBe(200);
    expect((await Promise.all(comments.map(send))).every((r) => r.status === 200)).toBe(true);
    await app.expand();
    const marks = await sql<{ repo: string; number: number }>`select repo, number from dirty_threads`.execute(database.db);
    expect(marks.rows).toEqual([expect.objectContaining({ number: 150 })]);
    const drains = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'derive-dirty'`.execute(database.db);
    expect(drains.rows[0]!.n).toBe(1);
    await app.runJobs();
    expect(await requestsOf([150])).toEqual([expect.objectContaining({ responder_login: "mentor-one", latency_seconds: 3 * 3600 })]);
  });

  it("a drain whose batch write fails derives its threads one by one in the same run, none left marked", async () => {
    const prs = [161, 162, 163];
    for (const [i, n] of prs.entries()) expect((await send(opened(n, i))).status).toBe(200);
    expect((await send(reviewed(162, 5))).status).toBe(200);
    // The batch's one transaction loses its connection at its first statement.
    faulty.breakAt(/^delete from "tasks"/);
    await app.runJobs();

    expect(await requestsOf(prs)).toEqual([
      expect.objectContaining({ number: 161, responder_login: null }),
      expect.objectContaining({ number: 162, responder_login: "mentor-one" }),
      expect.objectContaining({ number: 163, responder_login: null }),
    ]);
    const dirty = await sql<{ n: number }>`select count(*)::int as n from dirty_threads`.execute(database.db);
    expect(dirty.rows[0]!.n).toBe(0);
  });
});

// Last: these start real workers, whose leftover jobs (a drain's continuation) must not meet the counts above.
describe("a running worker", () => {
  const until = async (condition: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 50));
    return condition();
  };
  const lockedRosterLoads = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'load-roster' and locked_at is not null`.execute(database.db)
    ).rows[0]!.n;
  const startedWorker = (expansionSweepMs: number) =>
    startWorker(app.deps, { connectionString: database.connectionString, embedded: database.embedded, crontab: "", pollIntervalMs: 100, expansionSweepMs });

  it("a delivery this process stores is expanded by its worker at once, without waiting for a sweep", async () => {
    const worker = await startedWorker(3_600_000);
    try {
      const receive = receiveDeliveries(app.deps, () => worker.expandSoon());
      const payload = opened(170, 0).payload;
      await receive({ id: nextDeliveryId(), name: "pull_request", body: JSON.stringify(payload) });
      expect(await until(async () => (await requestsOf([170])).length === 1)).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it("a delivery stored by another process, or by one that stopped before expanding, is expanded by a worker's sweep", async () => {
    const worker = await startedWorker(100);
    try {
      await acceptDeliveries(database.db, [{ id: nextDeliveryId(), event: "pull_request", body: JSON.stringify(opened(171, 1).payload) }]);
      expect(await until(async () => (await requestsOf([171])).length === 1)).toBe(true);
    } finally {
      await worker.stop();
    }
    const pending = await sql<{ n: number }>`select count(*)::int as n from deliveries where body is not null and expand_error is null`.execute(database.db);
    expect(pending.rows[0]!.n).toBe(0);
  });

  it("marked threads whose installation has no drain job get one from the sweep's backstop, once", async () => {
    // A world with no drain job at all: earlier tests leave continuations queued for later.
    await sql`delete from graphile_worker._private_jobs where task_id in (select id from graphile_worker._private_tasks where identifier = 'derive-dirty')`.execute(database.db);
    await sql`delete from dirty_threads`.execute(database.db);
    await sql`insert into dirty_threads (installation_id, repo, number) values (${INSTALLATION_ID}, 'acme/stranded', 1)`.execute(database.db);
    const drains = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'derive-dirty'`.execute(database.db)).rows[0]!.n;
    expect(await drains()).toBe(0);
    expect(await installationsMarkedWithoutDrain(database.db)).toEqual([INSTALLATION_ID]);
    // A running worker's sweep queues the missing drain, and derives the thread with it.
    const worker = await startedWorker(100);
    try {
      expect(await until(async () => (await installationsMarkedWithoutDrain(database.db)).length === 0)).toBe(true);
    } finally {
      await worker.stop();
    }
    expect(app.logs.some((l) => l.msg === "queued a drain for marked threads that had none")).toBe(true);
    app.logs.splice(0);
    // With a drain queued, none is added: the backstop never doubles one.
    await sql`insert into dirty_threads (installation_id, repo, number) values (${INSTALLATION_ID}, 'acme/stranded', 1) on conflict do nothing`.execute(database.db);
    await addJob(database.db, drainJob(INSTALLATION_ID, 3600));
    expect(await installationsMarkedWithoutDrain(database.db)).toEqual([]);
    await sql`update graphile_worker._private_jobs set run_at = now()`.execute(database.db);
    await app.runJobs();
    const left = await sql<{ n: number }>`select count(*)::int as n from dirty_threads where repo = 'acme/stranded'`.execute(database.db);
    expect(left.rows[0]!.n).toBe(0);
  });

  it("derives a delivery's requests while every slot of the GitHub-bound jobs waits on GitHub (derivation has its own runner)", async () => {
    // Three installations whose roster load is stuck on GitHub's token exchange for longer than derivation may take.
    const stuck = [9101, 9102, 9103];
    for (const id of stuck) {
      await upsertInstallation(database.db, { id, accountLogin: `stuck-${id}`, accountId: id, accountType: "Organization" });
      nock("https://api.github.com")
        .post(`/app/installations/${id}/access_tokens`)
        .delay(10_000)
        .reply(201, { token: `token-${id}`, expires_at: "2099-01-01T00:00:00Z", permissions: {} });
      nock("https://api.github.com").get(new RegExp(`^/repos/stuck-${id}/\\.github/`)).reply(404, { message: "Not Found" });
      await addJob(database.db, { task: "load-roster", payload: { installationId: id, sha: null }, key: `roster:${id}` });
    }
    const slots = database.embedded ? 1 : 2;
    const worker = await startedWorker(100);
    try {
      expect(await until(async () => (await lockedRosterLoads()) === slots)).toBe(true);
      expect((await send(opened(180, 0))).status).toBe(200);
      expect((await send(reviewed(180, 0))).status).toBe(200);
      expect(await until(async () => (await requestsOf([180]))[0]?.responder_login === "mentor-one")).toBe(true);
      // Derived before GitHub answered any of them.
      expect(await lockedRosterLoads()).toBe(slots);
    } finally {
      await worker.stop();
      await sql`delete from graphile_worker._private_jobs where task_id in (select id from graphile_worker._private_tasks where identifier = 'load-roster')`.execute(database.db);
      nock.cleanAll();
    }
  }, 40_000);
});
