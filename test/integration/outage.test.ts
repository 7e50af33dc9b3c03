/**
 * A database outage, end to end: while PostgreSQL is unreachable the webhook endpoint answers 5xx (so
 * GitHub marks those deliveries failed), the process keeps serving and `/healthz` says 503; after
 * recovery the redelivery job finds the failed GUIDs in GitHub's log, asks for each once, and the
 * redelivered payloads are stored once and derive the same state as if nothing had happened.
 *
 * The outage is a pool pointed at a dead port: the app's kysely instance takes every new connection
 * from whichever pg pool is current, so the test switches it from the dead one to the live database
 * and back. That needs nothing of the database behind the live pool, so this runs on PostgreSQL and on
 * the embedded database alike.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob } from "../../src/db/events.js";
import type { Database } from "../../src/db/schema.js";
import { redeliverFailed } from "../../src/jobs/redeliver.js";
import { createTestApp, nextDeliveryId, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { expectGitHubMocksUsed, mockDeliveryLog, mockRedelivery } from "../helpers/github-deliveries.js";
import { mentee, mentor, prOpened, reviewSubmitted, seedWorld } from "../helpers/scenario.js";

/** What kysely's PostgresDialect needs of a pool, handing out connections from whichever pool is current. */
class SwitchablePool {
  constructor(public target: pg.Pool) {}
  connect() {
    return this.target.connect();
  }
  async end() {
    // The pools behind it belong to the test, which ends them.
  }
}

const MINUTE = 60_000;
const T0 = new Date("2026-06-20T12:00:00Z");

let database: DatabaseHandle;
let dead: pg.Pool;
let pool: SwitchablePool;
let db: Kysely<Database>;
let app: TestApp;
let clock = T0;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedWorld(database.db);
  // Nothing listens on port 1: every connection is refused, as when PostgreSQL is down.
  dead = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:1/none", max: 2, connectionTimeoutMillis: 2000 });
  dead.on("error", () => {});
  pool = new SwitchablePool(database.pool);
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  app = await createTestApp({ ...database, db }, { now: () => clock });
});

afterAll(async () => {
  await app.close();
  await db.destroy();
  await dead.end();
  await database.close();
});

afterEach(() => {
  expectGitHubMocksUsed();
  expect(app.errors()).toEqual([]);
});

async function requestsOf(number: number) {
  return database.db
    .selectFrom("requests")
    .select(["kind", "opened_at", "responder_login", "response_kind", "latency_seconds"])
    .where("number", "=", number)
    .orderBy("opened_at")
    .execute();
}

async function count(table: "deliveries" | "events", where: ReturnType<typeof sql>) {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(database.db);
  return r.rows[0]!.n;
}

const health = async () => (await fetch(`${app.url}/healthz`)).status;

describe("a database outage, then recovery", () => {
  // PR #40 opened by the mentee before the outage; the mentor's review of it and a second PR, #41, during it.
  const opened = { id: nextDeliveryId(), name: "pull_request", payload: prOpened(40, "2026-06-20T09:00:00Z", mentee) };
  const review = { id: nextDeliveryId(), name: "pull_request_review", payload: reviewSubmitted(40, 4001, "2026-06-20T11:00:00Z", mentor, mentee, "commented") };
  const second = { id: nextDeliveryId(), name: "pull_request", payload: prOpened(41, "2026-06-20T11:30:00Z", mentee) };
  const send = (d: typeof opened) => app.send(d.name, d.payload, { id: d.id });

  it("while the database is down, deliveries get 5xx, /healthz says 503, and the process keeps serving", async () => {
    expect((await send(opened)).status).toBe(200);
    expect(await health()).toBe(200);

    pool.target = dead;
    expect(await health()).toBe(503);
    const during = [await send(review), await send(second)];
    expect(during.map((r) => r.status)).toEqual([500, 500]);
    // Still up, still answering.
    expect(await health()).toBe(503);
    // Each delivery not stored is logged at error level: expected during an outage.
    expect(app.errors().length).toBeGreaterThanOrEqual(2);
    app.logs.splice(0);

    pool.target = database.pool;
    expect(await health()).toBe(200);
    expect(await count("deliveries", sql`id in (${review.id}, ${second.id})`)).toBe(0);
    await app.runJobs();
    // Only what arrived before the outage: the mentee's request, unanswered.
    expect(await requestsOf(40)).toEqual([expect.objectContaining({ kind: "ready_for_review", responder_login: null })]);
    expect(await requestsOf(41)).toEqual([]);
  });

  it("after recovery the redelivery job asks GitHub once for each delivery that failed", async () => {
    mockDeliveryLog([
      [
        { id: 903, guid: second.id, at: new Date(T0.getTime() - 20 * MINUTE), statusCode: 500, event: "pull_request", action: "opened" },
        { id: 902, guid: review.id, at: new Date(T0.getTime() - 25 * MINUTE), statusCode: 500, event: "pull_request_review", action: "submitted" },
      ],
      [{ id: 901, guid: opened.id, at: new Date(T0.getTime() - 30 * MINUTE), statusCode: 200, event: "pull_request", action: "opened" }],
    ]);
    mockRedelivery(902);
    mockRedelivery(903);

    // Through the worker, as cron runs it.
    await addJob(database.db, { task: "redeliver-failed", payload: {} });
    await app.runJobs();

    const rows = await database.db.selectFrom("redelivery_requests").select(["guid", "delivery_id", "outcome"]).orderBy("delivery_id").execute();
    expect(rows).toEqual([
      { guid: review.id, delivery_id: 902, outcome: "requested" },
      { guid: second.id, delivery_id: 903, outcome: "requested" },
    ]);
  });

  it("the redelivered payloads are stored once and derive the right state", async () => {
    // GitHub sends them again under the same GUIDs; the review twice (someone also redelivered it by hand).
    expect((await send(review)).status).toBe(200);
    expect((await send(second)).status).toBe(200);
    expect((await send(review)).status).toBe(200);
    await app.runJobs();

    expect(await count("deliveries", sql`id in (${opened.id}, ${review.id}, ${second.id})`)).toBe(3);
    expect(await count("events", sql`number = 40`)).toBe(2);
    expect(await count("events", sql`number = 41`)).toBe(1);
    expect(await requestsOf(40)).toEqual([
      expect.objectContaining({ kind: "ready_for_review", responder_login: "mentor-one", response_kind: "review", latency_seconds: 2 * 3600 }),
    ]);
    expect(await requestsOf(41)).toEqual([expect.objectContaining({ kind: "ready_for_review", responder_login: null })]);
  });

  it("the next run, with the redeliveries in GitHub's log, asks for nothing", async () => {
    clock = new Date(T0.getTime() + 15 * MINUTE);
    mockDeliveryLog([
      [
        { id: 906, guid: review.id, at: new Date(T0.getTime() + 1 * MINUTE), redelivery: true, event: "pull_request_review", action: "submitted" },
        { id: 905, guid: second.id, at: new Date(T0.getTime() + 1 * MINUTE), redelivery: true, event: "pull_request", action: "opened" },
        { id: 904, guid: review.id, at: new Date(T0.getTime() + 1 * MINUTE), redelivery: true, event: "pull_request_review", action: "submitted" },
        { id: 903, guid: second.id, at: new Date(T0.getTime() - 20 * MINUTE), statusCode: 500, event: "pull_request", action: "opened" },
      ],
    ]);
    const run = await redeliverFailed(app.deps);
    expect(run.requested).toEqual([]);
  });
});
