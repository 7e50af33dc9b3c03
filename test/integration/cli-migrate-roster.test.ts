import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import pg from "pg";
import { runCli } from "../../src/cli/main.js";

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe("mentorship migrate", () => {
  it("applies the migrations to the embedded database on disk, and a second run has nothing to do", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mt-cli-"));
    const first = await cli(["migrate"], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^embedded database in ${dataDir}/pglite: applied 2026-11-22T00-00-00Z-initial`));
    try {
      const second = await cli(["migrate"], { DATA_DIR: dataDir });
      expect(second).toEqual({ code: 0, stdout: `embedded database in ${dataDir}/pglite: nothing to do, already up to date\n`, stderr: "" });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  const serverUrl = process.env.DATABASE_URL;
  (serverUrl ? it : it.skip)("against real PostgreSQL: a fresh database, then a second run has nothing to do", async () => {
    const name = `mt_cli_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    try {
      const first = await cli(["migrate"], { DATABASE_URL: url.toString() });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^database: applied 2026-11-22T00-00-00Z-initial/);
      const second = await cli(["migrate"], { DATABASE_URL: url.toString() });
      expect(second).toEqual({ code: 0, stdout: "database: nothing to do, already up to date\n", stderr: "" });
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it("fails with exit 1 and one line when the database is unreachable", async () => {
    const result = await cli(["migrate"], { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mentorship migrate: .*ECONNREFUSED.*\n$/);
  });
});

describe("mentorship roster check", () => {
  it("loads every real AsyncAPI roster and prints a one-line summary", async () => {
    const result = await cli(["roster", "check", "test/fixtures/rosters/asyncapi-all.yml"]);
    expect(result).toEqual({
      code: 0,
      stdout: "test/fixtures/rosters/asyncapi-all.yml: ok, 8 programs, 49 projects, 65 people (25 mentors, 50 mentees)\n",
      stderr: "",
    });
  });

  it("prints each error with its YAML path and line, and exits 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mt-roster-"));
    const file = join(dir, "mentorship.yml");
    await writeFile(
      file,
      [
        "programs:",
        "  - id: amp-2026",
        "    name: AMP 2026",
        "    starts: 2026-06-15",
        "    ends: 2026-10-17",
        "    projects:",
        "      - id: cli",
        "        title: CLI",
        "        repos: [asyncapi/cli]",
        "        mentors: [alice, \"@bob\"]",
        "        mentees: [carol]",
        "",
      ].join("\n"),
    );
    try {
      const result = await cli(["roster", "check", file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `${file}: programs[0].projects[0].mentors[1] (line 10): "@bob" is not a GitHub login (drop the @)\n1 problem\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 with a one-line reason on bad arguments, and 1 when the file cannot be read", async () => {
    expect(await cli(["roster"])).toEqual({ code: 2, stdout: "", stderr: "mentorship roster: missing subcommand (try: roster check FILE)\n" });
    expect(await cli(["roster", "check"])).toEqual({ code: 2, stdout: "", stderr: "mentorship roster: missing FILE (the roster to check)\n" });
    expect(await cli(["nonsense"])).toEqual({ code: 2, stdout: "", stderr: 'mentorship: unknown command "nonsense" (see mentorship help)\n' });
    expect((await cli(["roster", "check", "/nonexistent.yml"])).code).toBe(1);
    expect((await cli(["roster", "--help"])).stdout).toMatch(/^Usage: mentorship roster check FILE/);
  });
});
