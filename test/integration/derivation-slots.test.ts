/**
 * Derivation runs in a runner of its own (src/jobs/worker.ts): jobs that wait on GitHub can take every
 * slot of the other runner, and a delivery's requests are still derived at once. Through the real
 * path: a signed delivery over HTTP, the running worker's expansion and drain, the derived table.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob } from "../../src/db/events.js";
import { upsertInstallation } from "../../src/db/rosters.js";
import { startWorker } from "../../src/jobs/worker.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { mentee, mentor, prOpened, reviewSubmitted, seedWorld } from "../helpers/scenario.js";

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedWorld(database.db);
  app = await createTestApp(database);
});

afterAll(async () => {
  nock.cleanAll();
  await app.close();
  await database.close();
});

afterEach(() => {
  expect(app.errors()).toEqual([]);
});

/** Installations whose roster load is stuck on GitHub's token exchange until `release` answers it. */
const STUCK = [9101, 9102, 9103];
/** Longer than the test waits for derivation: what holds a slot must still hold it when derivation is checked. */
const GITHUB_STALL_MS = 10_000;

const lockedRosterLoads = async () =>
  (
    await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'load-roster' and j.locked_at is not null`.execute(database.db)
  ).rows[0]!.n;

const derivedRequests = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from requests where number = 601 and responder_login = 'mentor-one'`.execute(database.db)).rows[0]!.n;

async function until(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && !(await condition())) await new Promise((r) => setTimeout(r, 50));
  return condition();
}

describe("derivation while GitHub is slow", () => {
  it("a delivery's requests are derived while every other job slot waits on GitHub", async () => {
    for (const id of STUCK) {
      await upsertInstallation(database.db, { id, accountLogin: `stuck-${id}`, accountId: id, accountType: "Organization" });
      // Each load asks for a token first; GitHub takes its time, then the roster is not there.
      nock("https://api.github.com")
        .post(`/app/installations/${id}/access_tokens`)
        .delay(GITHUB_STALL_MS)
        .reply(201, { token: `token-${id}`, expires_at: "2099-01-01T00:00:00Z", permissions: {} });
      nock("https://api.github.com").get(new RegExp(`^/repos/stuck-${id}/\\.github/`)).reply(404, { message: "Not Found" });
      await addJob(database.db, { task: "load-roster", payload: { installationId: id, sha: null }, key: `roster:${id}` });
    }
    const worker = await startWorker(app.deps, { connectionString: database.connectionString, embedded: database.embedded, crontab: "", pollIntervalMs: 100 });
    try {
      // Every slot of the GitHub-bound runner is taken (2 on PostgreSQL, 1 embedded).
      expect(await until(async () => (await lockedRosterLoads()) === (database.embedded ? 1 : 2), 5_000)).toBe(true);

      expect((await app.send("pull_request", prOpened(601, "2026-07-01T09:00:00Z", mentee))).status).toBe(200);
      expect((await app.send("pull_request_review", reviewSubmitted(601, 860_001, "2026-07-01T12:00:00Z", mentor, mentee, "commented"))).status).toBe(200);

      expect(await until(async () => (await derivedRequests()) === 1, 6_000)).toBe(true);
      // Derived before GitHub answered any of them.
      expect(await lockedRosterLoads()).toBe(database.embedded ? 1 : 2);
    } finally {
      await worker.stop();
    }
  }, 40_000);
});
