/**
 * Every cron line runs once per slot however many processes share the database. Two worker pools
 * (what two app processes run) share one PostgreSQL with the app's own crontab, each line moved to
 * every minute so a slot comes within the test; each task must run exactly once in it.
 *
 * Needs PostgreSQL: the embedded database serves one process.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { pino } from "pino";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { CRONTAB, startWorker, type StartedWorker } from "../../src/jobs/worker.js";
import { createTestApp, type LogRecord, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const EVERY_MINUTE = CRONTAB.split("\n")
  .map((line) => line.replace(/^(\S+\s+){5}/, "* * * * * "))
  .join("\n");
const TASKS = CRONTAB.split("\n").map((line) => line.split(/\s+/)[5]!);

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  database = await createTestDatabase();
  app = await createTestApp(database);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** One process's worker: its own log, so each run is counted where it happened. */
async function appProcess(): Promise<{ worker: StartedWorker; runs: () => string[] }> {
  const logs: LogRecord[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  const deps = { ...app.deps, log: pino({ level: "debug" }, stream) as unknown as TestApp["deps"]["log"] };
  const worker = await startWorker(deps, { connectionString: database.connectionString, embedded: false, crontab: EVERY_MINUTE });
  return { worker, runs: () => logs.filter((l) => l.msg === "job done").map((l) => String(l.job)) };
}

onPostgres("cron with two processes on one PostgreSQL (skipped on the embedded database)", () => {
  it("runs each scheduled job once per slot", async () => {
    // The app's delivery log, for redeliver-failed (nothing failed).
    nock("https://api.github.com").persist().get("/app/hook/deliveries").query(true).reply(200, []);
    const processes = [await appProcess(), await appProcess()];
    try {
      const runs = () => processes.flatMap((p) => p.runs());
      for (let i = 0; i < 750 && !TASKS.every((t) => runs().includes(t)); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 3000));
      expect(runs().sort()).toEqual([...TASKS].sort());
    } finally {
      await Promise.all(processes.map((p) => p.worker.stop()));
      nock.cleanAll();
    }
  }, 100_000);
});
