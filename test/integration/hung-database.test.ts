/**
 * A hung database: reachable, accepting connections, answering nothing (a TCP proxy that holds every
 * byte, as a SIGSTOPped or overloaded server does). GitHub gives up on a delivery after 10 s and treats
 * any 2xx, Probot's "202 still processing" included, as delivered: it is then never redelivered. So every
 * delivery must end either stored and 2xx, or non-2xx within GitHub's time; then the redelivery job asks
 * for the non-2xx ones and each is stored exactly once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { redeliverFailed } from "../../src/jobs/redeliver.js";
import { createTestApp, nextDeliveryId, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { type FreezableProxy, startFreezableProxy } from "../helpers/freezable-proxy.js";
import { expectGitHubMocksUsed, mockDeliveryLog, mockRedelivery } from "../helpers/github-deliveries.js";
import { mentee, prOpened, seedWorld } from "../helpers/scenario.js";

/** Longer than Probot's own 9 s answer and pg's 10 s connection timeout: what a real freeze outlasts. */
const FREEZE_MS = 11_000;
const MINUTE = 60_000;

let database: DatabaseHandle;
let proxy: FreezableProxy;
let proxied: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedWorld(database.db);
  proxy = await startFreezableProxy(database.connectionString);
  proxied = await openDatabase({ databaseUrl: proxy.url, poolSize: 4 });
  app = await createTestApp(proxied);
});

afterAll(async () => {
  await app.close();
  await proxied.close();
  await proxy.close();
  await database.close();
});

afterEach(() => {
  expectGitHubMocksUsed();
  expect(app.errors()).toEqual([]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function storedCount(guid: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from deliveries where id = ${guid}`.execute(database.db);
  return r.rows[0]!.n;
}

describe("a database that hangs for longer than GitHub waits", () => {
  const deliveries = Array.from({ length: 8 }, (_, i) => ({ id: nextDeliveryId(), number: 60 + i }));
  const payloadOf = (number: number) => prOpened(number, "2026-06-20T09:00:00Z", mentee);
  const statuses = new Map<string, number>();

  it("answers every delivery in time, and 2xx only for one that is stored", async () => {
    // An idle connection in the pool, as in production: some deliveries hang on it, others on new ones.
    expect((await app.send("pull_request", payloadOf(59))).status).toBe(200);

    proxy.freeze();
    const frozenAt = Date.now();
    const answers = await Promise.all(
      deliveries.map(async (d) => {
        const response = await app.send("pull_request", payloadOf(d.number), { id: d.id });
        return { ...d, status: response.status, body: await response.text(), seconds: (Date.now() - frozenAt) / 1000 };
      }),
    );
    await sleep(Math.max(0, FREEZE_MS - (Date.now() - frozenAt)));
    proxy.thaw();
    for (let i = 0; i < 100 && (await fetch(`${app.url}/healthz`)).status !== 200; i++) await sleep(100);
    // Whatever was still in flight when the database came back has had its chance to commit.
    await sleep(500);

    const outcomes = [];
    for (const a of answers) {
      statuses.set(a.id, a.status);
      outcomes.push({ guid: a.id, status: a.status, stored: await storedCount(a.id), inTime: a.seconds < 9, body: a.body });
    }
    // The property GitHub's redelivery depends on: a 2xx means stored.
    expect(outcomes.filter((o) => o.status < 300 && o.stored !== 1)).toEqual([]);
    // Each answered before GitHub's 10 s, as not stored, with the reason.
    for (const o of outcomes) {
      expect({ status: o.status, inTime: o.inTime }).toEqual({ status: 503, inTime: true });
      expect(JSON.parse(o.body)).toEqual({ error: expect.stringMatching(/deadline/) });
    }
    // Each refusal is logged: expected here.
    app.logs.splice(0);
  }, 40_000);

  it("the redelivery job asks for each delivery that was not stored, and each is then stored exactly once", async () => {
    const notStored = [];
    for (const [i, d] of deliveries.entries()) if ((await storedCount(d.id)) === 0) notStored.push({ ...d, attempt: 800 + i });
    mockDeliveryLog([
      deliveries.map((d, i) => ({
        id: 800 + i,
        guid: d.id,
        at: new Date(Date.now() - 10 * MINUTE),
        statusCode: statuses.get(d.id)!,
        event: "pull_request",
        action: "opened",
      })),
    ]);
    for (const d of notStored) mockRedelivery(d.attempt);

    const run = await redeliverFailed(app.deps);
    expect(run.requested.sort()).toEqual(notStored.map((d) => d.id).sort());

    // GitHub sends them again under the same GUIDs.
    for (const d of notStored) expect((await app.send("pull_request", payloadOf(d.number), { id: d.id })).status).toBe(200);
    for (const d of deliveries) expect(await storedCount(d.id)).toBe(1);
    await app.expand();
    const events = await sql<{ number: number; n: number }>`
      select number, count(*)::int as n from events where number between 60 and 67 group by number order by number`.execute(database.db);
    expect(events.rows).toEqual(deliveries.map((d) => ({ number: d.number, n: 1 })));
  });
});
