import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { parseCrontab } from "graphile-worker";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { readCheckedUntil, saveCheckedUntil } from "../../src/db/redelivery.js";
import { redeliverFailed, type RedeliveryRun } from "../../src/jobs/redeliver.js";
import { CRONTAB } from "../../src/jobs/worker.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { expectGitHubMocksUsed, mockDeliveryLog, mockRedelivery } from "../helpers/github-deliveries.js";
import { INSTALLATION_ID } from "../helpers/scenario.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = new Date("2026-07-01T12:00:00Z");

let database: DatabaseHandle;
let app: TestApp;
let clock = T0;
const at = (offsetMs: number) => new Date(clock.getTime() + offsetMs);

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => {
  expectGitHubMocksUsed();
  expect(app.errors()).toEqual([]);
});

async function claims(guids: string[]) {
  const rows = await database.db
    .selectFrom("redelivery_requests")
    .select(["guid", "delivery_id", "outcome", "detail"])
    .where("guid", "in", guids)
    .orderBy("guid")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.guid, { deliveryId: r.delivery_id, outcome: r.outcome, detail: r.detail }]));
}

describe("redelivering failed webhook deliveries", () => {
  it("the first run reads GitHub's log back 3 days, page by page, and requests each lost GUID once", async () => {
    clock = T0;
    // The app answered this one after GitHub's 10 s, but stored it.
    await database.db.insertInto("deliveries").values({ id: "g-stored", installation_id: INSTALLATION_ID, event: "issues", action: "opened" }).execute();
    mockDeliveryLog(
      [
        [
          { id: 110, guid: "g-settling", at: at(-1 * MINUTE), statusCode: 500 },
          { id: 109, guid: "g-check", at: at(-5 * MINUTE), statusCode: 500, event: "check_run", action: "completed" },
          { id: 108, guid: "g-ok", at: at(-6 * MINUTE) },
          { id: 107, guid: "g-recovered", at: at(-7 * MINUTE), redelivery: true },
          { id: 106, guid: "g-twice", at: at(-8 * MINUTE), statusCode: 502, redelivery: true },
          { id: 105, guid: "g-lost", at: at(-30 * MINUTE), statusCode: 500, event: "issue_comment", action: "created" },
        ],
        [
          { id: 104, guid: "g-recovered", at: at(-40 * MINUTE), statusCode: 500 },
          { id: 103, guid: "g-stored", at: at(-50 * MINUTE), statusCode: 0 },
          { id: 102, guid: "g-twice", at: at(-2 * 60 * MINUTE), statusCode: 503 },
          { id: 101, guid: "g-too-old", at: at(-3 * DAY - 60 * MINUTE), statusCode: 500 },
        ],
      ],
      { nextAfterLast: true },
    );
    mockRedelivery(106);
    mockRedelivery(105);

    const run = await redeliverFailed(app.deps);

    // Oldest first; g-twice through its newest attempt.
    expect(run.requested).toEqual(["g-twice", "g-lost"]);
    expect(run.pages).toBe(2);
    expect(await claims(["g-twice", "g-lost", "g-settling", "g-stored", "g-recovered", "g-check", "g-too-old"])).toEqual({
      "g-lost": { deliveryId: 105, outcome: "requested", detail: null },
      "g-twice": { deliveryId: 106, outcome: "requested", detail: null },
    });
    expect(await readCheckedUntil(database.db)).toEqual(at(-2 * MINUTE));
    expect(app.logs.find((l) => l.msg === "failed deliveries handled")).toEqual(expect.objectContaining({ requested: 2, pages: 2 }));
  });

  it("the next run reads back only to the last one, and never asks for a GUID twice", async () => {
    clock = new Date(T0.getTime() + 15 * MINUTE);
    mockDeliveryLog(
      [
        [
          { id: 205, guid: "g-new", at: at(-5 * MINUTE), statusCode: 500 },
          // Our redelivery of g-twice failed too: it was requested once, and that is all.
          { id: 204, guid: "g-twice", at: at(-14 * MINUTE), statusCode: 500, redelivery: true },
          { id: 203, guid: "g-lost", at: at(-14 * MINUTE), redelivery: true },
          { id: 110, guid: "g-settling", at: at(-16 * MINUTE), statusCode: 500 },
          { id: 109, guid: "g-check", at: at(-20 * MINUTE), statusCode: 500, event: "check_run", action: "completed" },
          // Older than the last run's bound minus the overlap: the page reaches back far enough.
          { id: 108, guid: "g-ok", at: at(-21 * MINUTE) },
          { id: 107, guid: "g-recovered", at: at(-22 * MINUTE), redelivery: true },
        ],
      ],
      { nextAfterLast: true },
    );
    mockRedelivery(110);
    mockRedelivery(205);

    const run = await redeliverFailed(app.deps);

    expect(run.requested).toEqual(["g-settling", "g-new"]);
    expect(run.window.from).toBe(T0.getTime() - 7 * MINUTE);
    expect(await readCheckedUntil(database.db)).toEqual(at(-2 * MINUTE));
  });

  it("two instances at once: each lost GUID is requested by exactly one of them", async () => {
    clock = new Date(T0.getTime() + 10 * DAY);
    const other = await createTestApp(database, { now: () => clock });
    const log = [
      { id: 305, guid: "g-a", at: at(-10 * MINUTE), statusCode: 500 },
      { id: 304, guid: "g-b", at: at(-11 * MINUTE), statusCode: 500 },
      { id: 303, guid: "g-c", at: at(-12 * MINUTE), statusCode: 0 },
      { id: 302, guid: "g-d", at: at(-13 * MINUTE), statusCode: 500 },
      { id: 301, guid: "g-e", at: at(-3 * DAY - MINUTE), statusCode: 500 },
    ];
    mockDeliveryLog([log], { times: 2 });
    for (const id of [302, 303, 304, 305]) mockRedelivery(id);

    // Each run directly, without the job's advisory lock: the claims alone must keep requests single.
    // On PostgreSQL they race for real. The embedded database serves every connection from one backend
    // and pglite-socket interleaves concurrent extended-protocol messages, so there they take turns.
    let runs: RedeliveryRun[];
    if (process.env.DATABASE_URL) runs = await Promise.all([redeliverFailed(app.deps), redeliverFailed(other.deps)]);
    else runs = [await redeliverFailed(app.deps), await redeliverFailed(other.deps)];

    const requested = runs.flatMap((r) => r.requested);
    expect(requested.sort()).toEqual(["g-a", "g-b", "g-c", "g-d"]);
    expect(Object.values(await claims(requested)).map((c) => c.outcome)).toEqual(["requested", "requested", "requested", "requested"]);
    expect(other.errors()).toEqual([]);
    await other.close();
  });

  it("a crash between claim and request: with no trace in GitHub's log it is sent again; with one, the claim is settled", async () => {
    clock = new Date(T0.getTime() + 20 * DAY);
    await saveCheckedUntil(database.db, at(-17 * MINUTE));
    const claimedAt = at(-20 * MINUTE);
    await database.db
      .insertInto("redelivery_requests")
      .values([
        { guid: "g-crash-before-post", delivery_id: 401, event: "issues", action: "opened", installation_id: INSTALLATION_ID, claimed_at: claimedAt },
        { guid: "g-crash-after-post", delivery_id: 402, event: "issues", action: "opened", installation_id: INSTALLATION_ID, claimed_at: claimedAt },
        // A claim this recent may belong to a run still going: left alone.
        { guid: "g-in-flight", delivery_id: 403, event: "issues", action: "opened", installation_id: INSTALLATION_ID, claimed_at: at(-3 * MINUTE) },
      ])
      .execute();
    mockDeliveryLog([
      [
        { id: 404, guid: "g-crash-after-post", at: at(-19 * MINUTE), statusCode: 500, redelivery: true },
        { id: 403, guid: "g-in-flight", at: at(-25 * MINUTE), statusCode: 500 },
        { id: 402, guid: "g-crash-after-post", at: at(-26 * MINUTE), statusCode: 500 },
        { id: 401, guid: "g-crash-before-post", at: at(-50 * MINUTE), statusCode: 500 },
      ],
    ]);
    mockRedelivery(401);

    const run = await redeliverFailed(app.deps);

    // The window reached back past the stale claims, not just to the last run (-22 min).
    expect(run.window.from).toBe(claimedAt.getTime() - 6 * MINUTE);
    expect(run.requested).toEqual(["g-crash-before-post"]);
    expect(run.settled).toEqual(["g-crash-after-post"]);
    expect(await claims(["g-crash-before-post", "g-crash-after-post", "g-in-flight"])).toEqual({
      "g-crash-after-post": { deliveryId: 402, outcome: "requested", detail: "GitHub logged the redelivery" },
      "g-crash-before-post": { deliveryId: 401, outcome: "requested", detail: null },
      "g-in-flight": { deliveryId: 403, outcome: null, detail: null },
    });
  });

  it("a refusal for good (422) is recorded and never asked again; a 5xx gives the claim back and the next run asks again", async () => {
    clock = new Date(T0.getTime() + 30 * DAY);
    await saveCheckedUntil(database.db, at(-17 * MINUTE));
    const log = [
      { id: 502, guid: "g-flaky", at: at(-9 * MINUTE), statusCode: 500 },
      { id: 501, guid: "g-refused", at: at(-10 * MINUTE), statusCode: 500 },
      { id: 500, guid: "g-earlier", at: at(-30 * MINUTE), statusCode: 500 },
    ];
    mockDeliveryLog([log]);
    mockRedelivery(501, 422);
    mockRedelivery(502, 502);

    await expect(redeliverFailed(app.deps)).rejects.toMatchObject({ status: 502 });
    expect(await claims(["g-refused", "g-flaky"])).toEqual({
      "g-refused": { deliveryId: 501, outcome: "rejected", detail: expect.stringMatching(/^422: Validation Failed/) },
    });
    // The run did not get through: the next one reads the same stretch again.
    expect(await readCheckedUntil(database.db)).toEqual(at(-17 * MINUTE));
    expect(app.logs.find((l) => l.msg === "GitHub refused to redeliver; not asking again")).toEqual(expect.objectContaining({ guid: "g-refused", status: 422 }));
    // Octokit logs each failed request at error level: expected here.
    app.logs.splice(0);

    clock = new Date(clock.getTime() + 15 * MINUTE);
    mockDeliveryLog([[{ id: 503, guid: "g-new", at: at(-3 * MINUTE), statusCode: 200 }, ...log]]);
    mockRedelivery(502);
    const retry = await redeliverFailed(app.deps);
    expect(retry.requested).toEqual(["g-flaky"]);
    expect(retry.rejected).toEqual([]);
  });

  it("under DRY_RUN it logs what it would redeliver, and claims and sends nothing", async () => {
    clock = new Date(T0.getTime() + 40 * DAY);
    const dry = await createTestApp(database, { now: () => clock, dryRun: true });
    mockDeliveryLog([[{ id: 601, guid: "g-dry", at: at(-10 * MINUTE), statusCode: 500 }]]);

    const run = await redeliverFailed(dry.deps);

    expect(run.dryRun).toEqual(["g-dry"]);
    expect(run.requested).toEqual([]);
    expect(await claims(["g-dry"])).toEqual({});
    expect(dry.logs.find((l) => l.msg === "dry run: redelivery not requested")).toEqual(
      expect.objectContaining({ guid: "g-dry", deliveryId: 601, event: "issues", dryRun: true }),
    );
    expect(dry.errors()).toEqual([]);
    await dry.close();
  });

  it("runs from the crontab every 15 minutes, one job per period however many workers", () => {
    const item = parseCrontab(CRONTAB).find((i) => i.task === "redeliver-failed");
    expect(item?.options).toEqual(expect.objectContaining({ jobKey: "cron:redeliver-failed", maxAttempts: 1 }));
    const minutes = Array.from({ length: 60 }, (_, min) => min).filter((min) => item?.match({ min, hour: 3, date: 1, month: 7, dow: 3 }));
    expect(minutes).toEqual([0, 15, 30, 45]);
  });
});
