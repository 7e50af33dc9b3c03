/**
 * Two app processes (`npm start`, as real child processes) on one PostgreSQL database: the documented
 * way to scale out. They start at the same moment on an empty database, GitHub's deliveries reach
 * both (each one twice, as behind a load balancer with a redelivery), and both refresh the same
 * progress comment at once.
 *
 * Needs PostgreSQL: the embedded database serves one process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { type RawBuilder, sql } from "kysely";
import { type DatabaseHandle, openDatabase } from "../../src/db/connection.js";
import { addJob } from "../../src/db/events.js";
import { type Standin, startStandinGitHub } from "../../src/demo/standin-github.js";
import { migrations } from "../../migrations/index.js";
import { nextDeliveryId, postDelivery } from "../helpers/app.js";
import { startApp, type RunningApp } from "../helpers/app-process.js";
import { createEmptyPostgresDatabase } from "../helpers/db.js";
import { commentCreated, INSTALLATION_ID, mentee, mentee2, prOpened, seedWorld } from "../helpers/scenario.js";
import { setRepo } from "../helpers/payloads.js";
import { progressMarker } from "../../src/render/progress.js";

const serverUrl = process.env.DATABASE_URL;
const onPostgres = serverUrl ? describe : describe.skip;
const DELIVERIES = 60;

let empty: { url: string; drop(): Promise<void> };
let database: DatabaseHandle;
let github: Standin;
let apps: RunningApp[] = [];

beforeAll(async () => {
  if (!serverUrl) return;
  empty = await createEmptyPostgresDatabase(serverUrl);
  github = await startStandinGitHub({ appSlug: "mentorship-tracker", files: {}, people: [], now: () => new Date() });
});

afterAll(async () => {
  for (const app of apps) app.child.kill("SIGKILL");
  await database?.close();
  await github?.close();
  await empty?.drop();
});

afterEach(async () => {
  for (const app of apps) expect(app.output().stderr).not.toMatch(/"level":(50|60)/);
});

async function count(query: RawBuilder<{ n: number }>): Promise<number> {
  return (await query.execute(database.db)).rows[0]!.n;
}

async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Queued jobs of `task` run now, whatever their delay (the refresh waits a minute after activity). */
async function runNow(task: string): Promise<void> {
  await sql`update graphile_worker._private_jobs set run_at = now() where task_id = (select id from graphile_worker._private_tasks where identifier = ${task})`.execute(database.db);
}

onPostgres("two app processes on one PostgreSQL (skipped on the embedded database)", () => {
  it("start together on an empty database: each migration is applied once and both serve", async () => {
    apps = await Promise.all([0, 1].map(() => startApp(empty.url, { GHE_HOST: github.host })));
    database = await openDatabase({ databaseUrl: empty.url, poolSize: 3 });
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    for (const app of apps) expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it("store each delivery once, whichever process or processes it reached", async () => {
    await seedWorld(database.db);
    const sent: Array<Promise<Response>> = [];
    for (let n = 1; n <= DELIVERIES; n++) {
      // All within one minute: waiting ages (to the hour) then move together, once an hour.
      const second = String(n % 60).padStart(2, "0");
      const payload =
        n % 3 === 0
          ? setRepo(commentCreated({ kind: "issue", number: 2001, author: mentee2 }, 9_400_000 + n, `2026-07-01T09:00:${second}Z`, mentee2), "asyncapi/community")
          : prOpened(n, `2026-07-01T09:00:${second}Z`, mentee);
      const name = n % 3 === 0 ? "issue_comment" : "pull_request";
      const id = nextDeliveryId();
      // Both processes at once with the same GUID, as a redelivery racing the original would.
      for (const app of apps) sent.push(postDelivery(app.url, name, payload, { id }));
    }
    const statuses = (await Promise.all(sent)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await count(sql`select count(*)::int as n from deliveries`)).toBe(DELIVERIES);
    expect(await count(sql`select count(*)::int as n from events`)).toBe(DELIVERIES);
    await until(
      async () =>
        (await count(sql`select count(*)::int as n from dirty_threads`)) === 0 &&
        (await count(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'derive-dirty'`)) === 0,
      "derivation",
    );
    // 40 PRs opened, and one request on the tracking issue (mentee-two's later comments join it).
    expect(await count(sql`select count(*)::int as n from requests`)).toBe(41);
  });

  it("write the progress comment one process at a time: ten simultaneous refreshes make one comment", async () => {
    // A long tracking issue: finding the comment takes 30 pages, long enough for refreshes to overlap.
    for (let i = 0; i < 3000; i++) {
      const at = new Date(Date.UTC(2026, 6, 1, 0, 0, i)).toISOString();
      const user = { id: 90_000 + (i % 7), login: `person-${i % 7}`, type: "User" as const };
      github.comments.push({ id: 10_000_000 + i, repo: "asyncapi/community", number: 2001, body: `Comment ${i}`, user, created_at: at, updated_at: at, html_url: "", issue_url: "" });
    }
    // Jobs due now wake both processes at once (graphile-worker's LISTEN/NOTIFY).
    for (let i = 0; i < 10; i++) {
      await addJob(database.db, { task: "refresh-progress", payload: { installationId: INSTALLATION_ID, programId: "amp-2026", projectId: "cli" } });
    }
    // A job's attempts count up when a worker takes it, so "none left untaken" is not "all done":
    // wait until none is untaken and none is still held by a worker.
    const pending = () =>
      count(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'refresh-progress' and (attempts = 0 or locked_at is not null)`);
    await until(async () => {
      await runNow("refresh-progress");
      return (await pending()) === 0;
    }, "the refreshes");
    const ours = github.comments.filter((c) => c.body.startsWith(progressMarker("amp-2026", "cli")));
    expect(ours).toHaveLength(1);
    expect(github.writes.map((w) => w.method)).toEqual(["POST"]);
    expect(ours[0]!.body).toContain("Waiting for a mentor (41)");
  });
});
