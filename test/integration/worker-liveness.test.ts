import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob } from "../../src/db/events.js";
import { recordHeartbeats, unlockDeadWorkers } from "../../src/db/worker-liveness.js";
import { createTestDatabase } from "../helpers/db.js";

let database: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
});

/** A job as a worker holds it: locked by `workerId`, `secondsAgo` ago. */
async function lockedJob(name: string, workerId: string, secondsAgo: number): Promise<void> {
  await addJob(database.db, { task: "derive-thread", payload: {}, key: name });
  await sql`update graphile_worker._private_jobs set locked_by = ${workerId}, locked_at = now() - make_interval(secs => ${secondsAgo})
            where key = ${name}`.execute(database.db);
}

async function lockedBy(): Promise<Record<string, string | null>> {
  const rows = await sql<{ key: string; locked_by: string | null }>`select key, locked_by from graphile_worker.jobs order by key`.execute(database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.key, r.locked_by]));
}

describe("worker liveness", () => {
  it("unlocks the jobs of workers silent for longer than the limit, and only theirs", async () => {
    await recordHeartbeats(database.db, ["worker-alive"]);
    await lockedJob("long-job-of-a-live-worker", "worker-alive", 600);
    await lockedJob("job-of-a-killed-worker", "worker-killed", 600);
    await lockedJob("job-of-a-worker-killed-before-its-first-beat", "worker-never-beat", 600);
    await lockedJob("job-just-locked", "worker-starting", 1);

    expect((await unlockDeadWorkers(database.db, 120)).sort()).toEqual(["worker-killed", "worker-never-beat"]);
    expect(await lockedBy()).toEqual({
      "job-just-locked": "worker-starting",
      "job-of-a-killed-worker": null,
      "job-of-a-worker-killed-before-its-first-beat": null,
      "long-job-of-a-live-worker": "worker-alive",
    });
    expect(await unlockDeadWorkers(database.db, 120)).toEqual([]);
  });
});
