import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { saveRoster, upsertInstallation } from "../../src/db/rosters.js";
import { createTestDatabase } from "../helpers/db.js";
import { CSV_HEADER_LINE, seedReportWorld } from "../helpers/reports.js";
import { worldModel } from "../helpers/scenario.js";

let database: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportWorld(database.db);
  const amp = worldModel().programs[0]!;
  for (const [id, login] of [[7002, "evil-org"], [7003, "other-org"]] as const) {
    await upsertInstallation(database.db, { id, accountLogin: login, accountId: id, accountType: "Organization" });
    await saveRoster(database.db, id, worldModel({ admins: [], programs: [{ ...amp, id: "dup-2026", name: `Shared id at ${login}`, projects: [] }] }), null);
  }
});

afterAll(async () => {
  await database.close();
});

async function cli(argv: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: database.connectionString }) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe("mentorship programs", () => {
  it("lists every program as a table", async () => {
    const { code, stdout, stderr } = await cli(["programs"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      [
        "PROGRAM   NAME                                  STARTS      ENDS        ORG",
        "amp-2026  AsyncAPI Maintainership Program 2026  2026-06-15  2026-10-17  asyncapi",
        "dup-2026  Shared id at evil-org                 2026-06-15  2026-10-17  evil-org",
        "dup-2026  Shared id at other-org                2026-06-15  2026-10-17  other-org",
        "",
      ].join("\n"),
    );
  });

  it("and as JSON", async () => {
    const { code, stdout } = await cli(["programs", "--format", "json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).programs[0]).toEqual({
      id: "amp-2026",
      name: "AsyncAPI Maintainership Program 2026",
      starts: "2026-06-15",
      ends: "2026-10-17",
      installationId: 7001,
      account: "asyncapi",
    });
  });
});

describe("mentorship report", () => {
  it("prints a table by default", async () => {
    const { code, stdout, stderr } = await cli(["report", "--program", "amp-2026"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Mentor response times: amp-2026");
    expect(lines).toContain("TOTALS");
    expect(lines).toContain("       3         2        1        1  1h 30m  1h 54m   2h       66.6%");
    expect(lines.find((l) => l.startsWith("mentor-two"))).toMatch(/^mentor-two\s+1\s+3\s+2\s+1\s+1\s+1h 30m/);
    expect(lines.find((l) => l.startsWith("asyncapi/cli#103"))).toMatch(/^asyncapi\/cli#103\s+mentee-one\s+ready for review\s+2026-08-05\s+\S.*\s+yes$/);
  });

  it("takes the program as a positional argument, as the slash command does", async () => {
    const { code, stdout } = await cli(["report", "amp-2026", "--format", "csv"]);
    expect(code).toBe(0);
    expect(stdout.split("\r\n")[0]).toBe(CSV_HEADER_LINE);
  });

  it("--format json is the report model", async () => {
    const { code, stdout } = await cli(["report", "--program", "amp-2026", "--format", "json", "--since", "2026-07-02"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toEqual(
      expect.objectContaining({ program: "amp-2026", since: "2026-07-02T00:00:00Z", until: null, clock: "calendar", slaSeconds: 172800 }),
    );
    expect(report.totals.requests).toBe(2);
  });

  it("--format csv is one row per mentor", async () => {
    const { code, stdout } = await cli(["report", "--program", "amp-2026", "--format", "csv", "--mentor", "@mentor-one"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `${CSV_HEADER_LINE}\r\namp-2026,mentor-one,3,2,1,1,5400,6840,7200,0.6666666666666666,1,0\r\n`,
    );
  });

  it("--format md is the untruncated markdown", async () => {
    const { code, stdout } = await cli(["report", "--program", "amp-2026", "--format", "md", "--project", "cli", "--until", "2026-07-01"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## Mentor response times: amp-2026\n/);
    expect(stdout).toContain("| 1 | 1 | 0 | 0 | 1h | 1h | 1h | 100.0% |");
    expect(stdout).not.toContain("not shown");
  });

  it("--installation picks between programs that share an id; without it the clash is explained", async () => {
    const ambiguous = await cli(["report", "--program", "dup-2026"]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toBe('mentorship report: program "dup-2026" exists in installations 7002, 7003: pass --installation <id> to say which one\n');
    const chosen = await cli(["report", "--program", "dup-2026", "--installation", "7003", "--format", "json"]);
    expect(chosen.code).toBe(0);
    expect(JSON.parse(chosen.stdout).program).toBe("dup-2026");
  });
});

describe("exit codes", () => {
  it.each([
    [["report"], "mentorship report: missing --program ID (see mentorship programs)"],
    [["report", "--program", "amp-2026", "--format", "xml"], 'mentorship report: --format must be one of table, json, csv, md, not "xml"'],
    [["report", "--program", "amp-2026", "--since", "2026-02-30"], 'mentorship report: --since: "2026-02-30" is not a date (use YYYY-MM-DD)'],
    [["report", "--program", "amp-2026", "--since", "2026-07-02", "--until", "2026-07-01"], "mentorship report: --since must be before --until"],
    [["report", "--program", "amp-2026", "--mentor", "not a login"], 'mentorship report: --mentor: "not a login" is not a GitHub login'],
    [["report", "--program", "amp-2026", "--installation", "x"], 'mentorship report: --installation must be a numeric installation id, not "x"'],
    [["report", "amp-2026", "--program", "other"], 'mentorship report: two programs given: "amp-2026" and --program "other"'],
    [["report", "--program"], "mentorship report: Option '--program <value>' argument missing"],
    [["report", "--bogus"], "mentorship report: Unknown option '--bogus'"],
    [["programs", "extra"], 'mentorship programs: unexpected argument "extra"'],
    [["programs", "--format", "csv"], 'mentorship programs: --format must be table or json, not "csv"'],
  ])("2 with one line for %j", async (argv, message) => {
    const { code, stdout, stderr } = await cli(argv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.endsWith("\n") && stderr.split("\n").length === 2).toBe(true);
    expect(stderr.trimEnd()).toEqual(message);
  });

  it("1 for a login that mentors nothing in the program, saying so", async () => {
    const mentor = await cli(["report", "--program", "amp-2026", "--mentor", "@nobody-here"]);
    expect(mentor).toEqual({ code: 1, stdout: "", stderr: 'mentorship report: --mentor: "nobody-here" mentors no project in program "amp-2026"\n' });
  });

  it("1 for an unknown program or project, saying so", async () => {
    const program = await cli(["report", "--program", "gsoc-2030"]);
    expect(program).toEqual({ code: 1, stdout: "", stderr: 'mentorship report: unknown program "gsoc-2030" (see mentorship programs)\n' });
    const project = await cli(["report", "--program", "amp-2026", "--project", "website"]);
    expect(project).toEqual({ code: 1, stdout: "", stderr: 'mentorship report: program "amp-2026" has no project "website" (its projects: cli)\n' });
  });

  it("1 when the database cannot be reached", async () => {
    for (const command of [["report", "--program", "amp-2026"], ["programs"]]) {
      const { code, stderr } = await cli(command, { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
      expect(code).toBe(1);
      expect(stderr).toBe(`mentorship ${command[0]}: cannot reach the database at 127.0.0.1:1 (is PostgreSQL running? check DATABASE_URL)\n`);
    }
  });

  it("1 with a hint when the embedded database under DATA_DIR was never migrated", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mentorship-cli-"));
    try {
      const { code, stderr } = await cli(["programs"], { DATA_DIR: dir });
      expect(code).toBe(1);
      expect(stderr).toBe("mentorship programs: the database has no tables yet: run mentorship migrate first\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("--help on each command, and the command list names them", async () => {
    for (const command of ["programs", "report"]) {
      const { code, stdout } = await cli([command, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: mentorship ${command}`));
    }
    const help = await cli(["help"]);
    expect(help.stdout).toContain("mentorship programs");
    expect(help.stdout).toContain("mentorship report --program ID");
  });
});
