import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { runCli } from "../../src/cli/main.js";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { createTestDatabase } from "../helpers/db.js";
import { lifecycleModel } from "../helpers/lifecycle.js";
import { seedWorld } from "../helpers/scenario.js";

let database: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedWorld(database.db, lifecycleModel());
});

afterAll(async () => {
  await database.close();
});

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { DATABASE_URL: database.connectionString } });
  return { code, stdout, stderr };
}

// The rounds of the test program are over by now (the test runs after 2026-10-17), so unsubmitted forms are late.
describe("mentorship evaluate and mentorship evaluations", () => {
  it("records a mentor's mid-term pass for the mentor named with --by, and lists who still owes what", async () => {
    const recorded = await cli(["evaluate", "--program", "amp-2026", "--mentee", "@mentee-one", "--round", "midterm", "--outcome", "pass", "--note", "on track", "--by", "mentor-one"]);
    expect(recorded).toEqual({ code: 0, stderr: "", stdout: "recorded pass in midterm for mentee-one (cli) by mentor-one: form submitted, enrolment active\n" });
    const rows = await database.db.selectFrom("evaluations").select(["author_login", "outcome", "note", "side"]).execute();
    expect(rows).toEqual([{ author_login: "mentor-one", outcome: "pass", note: "on track", side: "mentor" }]);

    const listing = await cli(["evaluations", "--program", "amp-2026", "--owed"]);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toBe(
      [
        "PROJECT  MENTEE      ROUND    FORM    DUE         STATE  OWED BY",
        "cli      mentee-one  midterm  mentee  2026-08-22  late   mentee-one",
        "cli      mentee-one  final    mentor  2026-10-17  late   mentor-one, mentor-two",
        "cli      mentee-one  final    mentee  2026-10-17  late   mentee-one",
        "cli      mentee-two  midterm  mentor  2026-08-22  late   mentor-one, mentor-two",
        "cli      mentee-two  midterm  mentee  2026-08-22  late   mentee-two",
        "cli      mentee-two  final    mentor  2026-10-17  late   mentor-one, mentor-two",
        "cli      mentee-two  final    mentee  2026-10-17  late   mentee-two",
        "",
      ].join("\n"),
    );
    expect(listing.stdout).not.toContain("on track");
    const json = JSON.parse((await cli(["evaluations", "--program", "amp-2026", "--format", "json"])).stdout) as { forms: Array<Record<string, unknown>> };
    expect(json.forms[0]).toEqual({
      project: "cli",
      mentee: "mentee-one",
      round: "midterm",
      side: "mentor",
      state: "submitted",
      due: "2026-08-22",
      label: "submitted",
      owedBy: ["mentor-one", "mentor-two"],
    });
  });

  it("refuses --by someone who is neither a mentor nor an admin of the program, and a mentee's own login", async () => {
    for (const by of ["passer-by", "mentee-two"]) {
      const refused = await cli(["evaluate", "--program", "amp-2026", "--mentee", "mentee-two", "--round", "midterm", "--outcome", "fail", "--by", by]);
      expect(refused).toEqual({ code: 1, stdout: "", stderr: `mentorship evaluate: --by ${by} is not a mentor or admin of program "amp-2026"\n` });
    }
    const badOutcome = await cli(["evaluate", "--program", "amp-2026", "--mentee", "mentee-two", "--round", "midterm", "--outcome", "great", "--by", "mentor-one"]);
    expect(badOutcome.code).toBe(2);
    const noRound = await cli(["evaluate", "--program", "amp-2026", "--mentee", "mentee-two", "--round", "mid", "--outcome", "pass", "--by", "mentor-one"]);
    expect(noRound).toEqual({ code: 1, stdout: "", stderr: 'mentorship evaluate: program "amp-2026" has no evaluation round "mid"\n' });
    const rows = await database.db.selectFrom("evaluations").select("mentee_login").where("mentee_login", "=", "mentee-two").execute();
    expect(rows).toEqual([]);
  });
});
