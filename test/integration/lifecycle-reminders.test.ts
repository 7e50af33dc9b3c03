import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { sql } from "kysely";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { addJob } from "../../src/db/events.js";
import { saveRoster } from "../../src/db/rosters.js";
import { appIdentity } from "../../src/github/comments.js";
import { postLifecycleReminders } from "../../src/jobs/lifecycle-reminders.js";
import { readMarkers } from "../../src/render/markers.js";
import { createTestApp, mockInstallationToken, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { mentions, mockApp, type Recorded, recordNewComments } from "../helpers/github-comments.js";
import { lifecycleModel, mockTokenUser } from "../helpers/lifecycle.js";
import { INSTALLATION_ID, mentor, seedWorld } from "../helpers/scenario.js";

const TRACKING = { repo: "asyncapi/community", number: 2001 };
let database: DatabaseHandle;
let app: TestApp;
let clock = new Date("2026-08-01T00:00:00Z");
const at = (iso: string) => {
  clock = new Date(iso);
};
const model = () => lifecycleModel({ extendFinalTo: "2026-11-07" });

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database, { now: () => clock });
  await seedWorld(database.db, model());
  mockInstallationToken(INSTALLATION_ID);
  mockApp();
  await ((await app.probot.auth(INSTALLATION_ID)) as unknown as { auth(o: object): Promise<unknown> }).auth({ type: "installation" });
  await appIdentity(app.deps);
});

afterAll(async () => {
  await app.close();
  await database.close();
});

beforeEach(async () => {
  for (const table of ["posted_comments", "evaluations", "enrolment_outcomes", "graphile_worker._private_jobs"]) {
    await sql`delete from ${sql.table(table)}`.execute(database.db);
  }
  await saveRoster(database.db, INSTALLATION_ID, model(), null);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(app.errors()).toEqual([]);
});

const bodies = (recorded: Recorded[]) => recorded.map((r) => String(r.body.body));
const keys = (recorded: Recorded[]) => bodies(recorded).flatMap((b) => readMarkers(b).map((m) => m.key));

async function runAt(iso: string, runs = 1): Promise<void> {
  at(iso);
  for (let run = 0; run < runs; run++) {
    // As the hourly cron does: the run without an installation fans out one job per installation.
    await addJob(database.db, { task: "lifecycle-reminders", payload: {}, key: "cron:lifecycle-reminders" });
    await app.runJobs();
  }
}

describe("evaluation reminders on the tracking issue", () => {
  it("the round opening and its last three days ping whoever still owes a form, each once", async () => {
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-08-15T03:00:00Z", 2);
    expect(keys(posted)).toEqual(["amp-2026/cli/midterm/opens/2026-08-22"]);
    expect([...new Set(mentions(bodies(posted)[0]!))].sort()).toEqual(["mentee-one", "mentee-two", "mentor-one", "mentor-two"]);

    // A mentor submits mentee-one's form through the API before the 3-day reminder.
    mockTokenUser("mentor-token", mentor);
    const response = await fetch(`${app.url}/api/v1/programs/amp-2026/evaluations`, {
      method: "POST",
      headers: { authorization: "Bearer mentor-token", "content-type": "application/json" },
      body: JSON.stringify({ mentee: "mentee-one", round: "midterm", outcome: "pass", note: "PRIVATE-NOTE-1" }),
    });
    expect(response.status).toBe(201);
    await runAt("2026-08-19T03:00:00Z", 2);
    expect(keys(posted)).toEqual(["amp-2026/cli/midterm/opens/2026-08-22", "amp-2026/cli/midterm/due-3d/2026-08-22"]);
    const soon = bodies(posted)[1]!;
    expect(soon).not.toContain("the mentor form for **mentee-one**");
    expect(soon).toContain("- the mentor form for **mentee-two**: @mentor-one @mentor-two");
    everyComment.push(...bodies(posted));
  });

  it("a late round escalates to the program admins once", async () => {
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-08-23T01:00:00Z", 2);
    await runAt("2026-08-24T05:00:00Z");
    expect(keys(posted)).toEqual(["amp-2026/cli/midterm/late/2026-08-22"]);
    expect(mentions(bodies(posted)[0]!)).toEqual(["program-admin"]);
    everyComment.push(...bodies(posted));
  });

  it("a GSoC-style extension moves one mentee's final due date, and the reminders follow it", async () => {
    const posted = recordNewComments(TRACKING.repo, TRACKING.number);
    await runAt("2026-10-14T03:00:00Z");
    await runAt("2026-10-18T03:00:00Z");
    await runAt("2026-11-04T03:00:00Z");
    await runAt("2026-11-08T03:00:00Z");
    expect(keys(posted)).toEqual([
      "amp-2026/cli/final/due-3d/2026-10-17",
      "amp-2026/cli/final/late/2026-10-17",
      "amp-2026/cli/final/due-3d/2026-11-07",
      "amp-2026/cli/final/late/2026-11-07",
    ]);
    const [soon, late, extendedSoon, extendedLate] = bodies(posted) as [string, string, string, string];
    expect(soon).toContain("**mentee-one**");
    expect(soon).not.toContain("mentee-two");
    expect(late).not.toContain("mentee-two");
    expect(extendedSoon).toContain("### ⏰ Final evaluation is due in 3 days (2026-11-07)");
    expect(extendedSoon).toContain("@mentee-two");
    expect(extendedSoon).not.toContain("mentee-one");
    expect(mentions(extendedLate)).toEqual(["program-admin"]);
    everyComment.push(...bodies(posted));
  });
});

const everyComment: string[] = [];
describe("privacy", () => {
  it("no comment the app wrote in these stories shows an outcome, a rating or a note", () => {
    expect(everyComment.length).toBeGreaterThanOrEqual(7);
    for (const body of everyComment) {
      expect(body).not.toMatch(/\b(pass|passed|fail|failed|extend|extended)\b/i);
      expect(body).not.toMatch(/PRIVATE-NOTE|rating|[1-5]\s*\/\s*5/i);
    }
  });
});
