/**
 * `kill -9` of an app process in the middle of its jobs. graphile-worker leaves the dead worker's
 * jobs locked for 4 hours; the app's liveness records let the restarted process take them over
 * within WORKER_DEAD_AFTER, and the derived rows then equal those of a run without the kill.
 *
 * Needs PostgreSQL: on the embedded database the app is one process whose database dies with it.
 */
import { expect, it } from "@jest/globals";
import { sql } from "kysely";
import { rederiveInstallationJob } from "../../src/jobs/derive-thread.js";
import { createTestApp, postDelivery } from "../helpers/app.js";
import { sharedPostgres } from "../helpers/app-process.js";
import { INSTALLATION_ID, mentee, mentee2, mentor, prOpened, reviewSubmitted } from "../helpers/scenario.js";

const THREADS = 240;

const shared = sharedPostgres();

const start = () => shared.start({ WORKER_DEAD_AFTER: "3s" });

/** Threads still to derive, and of those the ones a drain job holds while a worker has that job locked. */
async function deriveJobs(): Promise<{ queued: number; locked: number }> {
  const r = await sql<{ queued: number; locked: number }>`
    select count(*)::int as queued,
           count(*) filter (where exists (
             select 1 from graphile_worker.jobs j where j.id = d.claimed_by and j.locked_by is not null))::int as locked
    from dirty_threads d`.execute(shared.database().db);
  return r.rows[0]!;
}

async function derivedRows(): Promise<unknown[]> {
  const requests = await sql`
    select repo, number, mentee_login, kind, opened_at, responder_login, latency_seconds
    from requests order by repo, number, opened_at`.execute(shared.database().db);
  return requests.rows;
}

/** Mentees' PRs, every other one reviewed by a mentor: 240 threads in the dirty set. */
async function sendActivity(url: string): Promise<void> {
  for (let n = 1; n <= THREADS; n++) {
    const author = n % 2 === 0 ? mentee : mentee2;
    const hour = String(n % 24).padStart(2, "0");
    const response = await postDelivery(url, "pull_request", prOpened(n, `2026-07-01T${hour}:00:00Z`, author));
    expect(response.status).toBe(200);
    if (n % 2 === 0) {
      const review = reviewSubmitted(n, 700_000 + n, `2026-07-02T${hour}:30:00Z`, mentor, author, "commented");
      expect((await postDelivery(url, "pull_request_review", review)).status).toBe(200);
    }
  }
}

shared.describe("a worker process killed with SIGKILL mid-job (PostgreSQL only; skipped on the embedded database)", () => {
  it("is taken over by the restarted process within WORKER_DEAD_AFTER, and derivation ends complete", async () => {
    const first = await start();
    await sendActivity(first.url);

    // Kill while a drain holds a batch of threads, with more still waiting.
    let atKill = { queued: 0, locked: 0 };
    for (let i = 0; i < 4000 && atKill.locked === 0; i++) {
      const now = await deriveJobs();
      if (now.locked > 0 && now.queued > now.locked) {
        first.child.kill("SIGKILL");
        await first.exited;
        atKill = await deriveJobs();
      } else await new Promise((r) => setTimeout(r, 5));
    }
    expect(atKill.locked).toBeGreaterThan(0);

    const second = await start();
    let left = await deriveJobs();
    // Up to 30 s: the restarted process also expands what the dead one stored but had not expanded, and
    // each thread that marks waits its debounce again (once, under CI load, one thread was still marked at 15 s).
    for (let i = 0; i < 300 && left.queued > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await deriveJobs();
    }
    // Today without liveness records: the dead process's jobs stay locked here for 4 hours.
    expect(left).toEqual({ queued: 0, locked: 0 });
    const afterRestart = await derivedRows();
    second.child.kill("SIGTERM");
    await second.exited;

    // The control: the same events derived from scratch, with nothing killed.
    await sql`delete from requests`.execute(shared.database().db);
    const control = await createTestApp(shared.database());
    await rederiveInstallationJob(control.deps, { installationId: INSTALLATION_ID });
    await control.close();
    const expected = await derivedRows();
    expect(expected.length).toBeGreaterThanOrEqual(THREADS);
    expect(afterRestart).toEqual(expected);
  }, 90_000);
});
