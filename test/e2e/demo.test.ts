import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { type DemoResult, runDemo } from "../../src/demo/run.js";
import { createTestDatabase } from "../helpers/db.js";

/**
 * The demo's replay, over real HTTP with signed deliveries, checked against numbers worked out
 * by hand from src/demo/script.ts:
 *
 * Each task cycle opens three requests (comment on the task, PR ready for review, push after
 * changes requested), each answered after the project's answer time.
 *   cli        17 weekly cycles (weeks 0–16)            → 51 requests, all answered in 2 h  (7,200 s)
 *   studio     17 cycles                                → 51 requests, all answered in 5 h  (18,000 s)
 *              + Ivy's issue opened 2026-10-14 09:55, never answered → 1 waiting; at the end
 *                (2026-10-18 00:00) it is 3 d 14 h 5 min old = 259,200 + 50,700 = 309,900 s > 48 h → overdue
 *   generator  16 cycles (week 6 skipped)               → 48 requests, all answered in 20 h (72,000 s)
 *              + Kai's issue opened 2026-09-01 09:00, answered 2026-09-03 21:00 → 60 h (216,000 s)
 * Totals: 152 requests, 151 answered, 1 waiting, 1 overdue.
 * Sorted answered latencies: 51 × 7,200, 51 × 18,000, 48 × 72,000, 1 × 216,000 (151 values).
 *   p50: position 0.5 × 150 = 75 → the 76th value, inside the 18,000 block (52nd–102nd) → 18,000
 *   p90: position 0.9 × 150 = 135 → the 136th value, inside the 72,000 block (103rd–150th) → 72,000
 *   max 216,000; withinSla = 150 answered within 48 h ÷ (151 answered + 1 overdue) = 150/152.
 * The bot's comment counts for nothing, the redelivered GUID is stored once, and the two deliveries
 * sent out of order change nothing (the numbers above would differ if they did).
 */
describe("mentorship demo, stopped while it replays", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("by %s, removes its temporary directory", async (signal) => {
    const tmp = mkdtempSync(join(tmpdir(), "demo-signal-"));
    const demo = spawn(process.execPath, ["bin/mentorship.js", "demo"], {
      env: { PATH: process.env.PATH ?? "", TMPDIR: tmp },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => demo.once("exit", (code) => resolve(code)));
    // The first simulated week is printed once the replay has begun: the data directory exists.
    await new Promise<void>((resolve) => demo.stderr!.on("data", (d) => String(d).includes("simulated") && resolve()));
    expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^mentorship-demo-/)]);
    demo.kill(signal);
    expect(await exited).toBe(signal === "SIGINT" ? 130 : 143);
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);
});

describe("npm run demo, as an end-to-end test", () => {
  let database: DatabaseHandle;
  let result: DemoResult;
  let output = "";

  beforeAll(async () => {
    database = await createTestDatabase();
    result = await runDemo({ database, write: (text) => (output += text) });
  }, 240_000);

  afterAll(async () => {
    await database.close();
  });

  it("receives every delivery once, the redelivered one ignored", () => {
    // 50 cycles × 11 deliveries, 29 cycles before the mid-term put their task in its milestone (+29),
    // Kai's issue and Omar's late answer, Ivy's issue and comment, the bot's comment, the installation,
    // and one delivery sent twice: 550 + 29 + 2 + 2 + 1 + 1 + 1 = 586.
    expect(result.deliveries).toEqual({ sent: 586, duplicates: 1 });
    // Every delivery but the installation (no events) and the duplicate stores one event.
    expect(result.events).toBe(584);
  });

  it("reports the response times worked out by hand", () => {
    expect(result.report.totals).toEqual({
      requests: 152,
      answered: 151,
      waiting: 1,
      overdue: 1,
      closedUnanswered: 0,
      p50Seconds: 18_000,
      p90Seconds: 72_000,
      maxSeconds: 216_000,
      withinSla: 150 / 152,
    });
    const byProject = Object.fromEntries(result.report.byProject.map((p) => [p.id, [p.requests, p.answered, p.p50Seconds, p.maxSeconds]]));
    expect(byProject).toEqual({ cli: [51, 51, 7_200, 7_200], studio: [52, 51, 18_000, 18_000], generator: [49, 49, 72_000, 216_000] });
    const firsts = Object.fromEntries(result.report.byMentor.map((m) => [m.login, m.answeredFirst]));
    expect(firsts).toEqual({ "mira-mentor": 51, "sam-mentor": 51, "tara-mentor": 0, "omar-mentor": 49 });
    expect(result.report.waiting).toEqual([
      expect.objectContaining({ mentee: "ivy-mentee", repo: "demo-org/studio", number: 200, ageSeconds: 309_900, overdue: true }),
    ]);
  });

  it("posts the milestone comments and nudges the script calls for, each once", () => {
    const posted = result.comments.filter((c) => !c.body.includes("mentorship-tracker:progress:"));
    const keys = posted.map((c) => c.body.match(/<!-- mentorship-tracker:([^ ]+) -->/)?.[1]);
    expect(new Set(keys).size).toBe(keys.length);
    // Kai is silent from his push on 2026-07-27 10:00; seven days later the next 6-hourly tick nudges his mentor.
    const silence = posted.filter((c) => c.body.includes("nudge-silence:demo-2026/generator/") && c.body.includes("**kai-mentee**"));
    expect(silence.map((c) => c.created_at)).toEqual(["2026-08-03T12:00:00.000Z"]);
    expect(silence[0]!.body).toContain("@omar-mentor");
    // Kai's question of 2026-09-01 09:00 passes the 48 h SLA at 09-03 09:00: nudged at the 12:00 tick, before Omar answers at 21:00.
    expect(posted.filter((c) => c.body.includes("nudge-overdue:demo-2026/generator")).map((c) => c.created_at)).toEqual([
      "2026-09-03T12:00:00.000Z",
    ]);
    // Each project: 10d, 5d, 0d reminders and one after-due comment for each of the two milestones.
    for (const project of ["cli", "studio", "generator"]) {
      expect(keys.filter((k) => k?.startsWith(`milestone:demo-2026/${project}/`)).sort()).toEqual([
        `milestone:demo-2026/${project}/final/0`,
        `milestone:demo-2026/${project}/final/10`,
        `milestone:demo-2026/${project}/final/5`,
        `milestone:demo-2026/${project}/final/after`,
        `milestone:demo-2026/${project}/midterm/0`,
        `milestone:demo-2026/${project}/midterm/10`,
        `milestone:demo-2026/${project}/midterm/5`,
        `milestone:demo-2026/${project}/midterm/after`,
      ]);
    }
    // The tasks begun before the mid-term were all done by then, so its after-due comment pings nobody.
    const midtermAfter = posted.find((c) => c.body.includes("milestone:demo-2026/cli/midterm/after"));
    expect(midtermAfter?.body).not.toMatch(/@\w/);
    // Open tasks are listed by their titles, as GitHub's payloads carry them.
    const cliMidterm10 = posted.find((c) => c.body.includes("milestone:demo-2026/cli/midterm/10"));
    expect(cliMidterm10?.body).toContain("- demo-org/cli#42 Task 9 of CLI: a watch mode (**leo-mentee**)");
  });

  it("keeps one progress comment per project, edited in place", () => {
    const progress = result.comments.filter((c) => c.body.includes("mentorship-tracker:progress:"));
    expect(progress.map((c) => `${c.repo}#${c.number}`).sort()).toEqual(["demo-org/community#1", "demo-org/community#101", "demo-org/community#2"]);
    const cli = progress.find((c) => c.number === 1)!;
    expect(cli.body).toContain("17 of 17 tasks done");
    expect(cli.body).toContain("Median time to a mentor's first response: **2h**");
  });

  it("prints the report and a one-line summary", () => {
    expect(output).toContain("Mentor response times: demo-2026");
    expect(output).toMatch(/586 deliveries \(1 duplicate ignored\), 584 events, 152 requests, \d+ comments written/);
  });
});
