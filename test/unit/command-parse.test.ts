import { describe, expect, it } from "@jest/globals";
import { boundEnd, boundStart, parseDateBound, parseSlashCommand, type ReportArgs } from "../../src/commands/parse.js";

const none: ReportArgs = { program: null, project: null, mentor: null, since: null, until: null };

function report(body: string) {
  const parsed = parseSlashCommand(body);
  if (!parsed?.ok || parsed.command.name !== "report") throw new Error(`not a report: ${JSON.stringify(parsed)}`);
  return parsed.command.args;
}

function reason(body: string): string {
  const parsed = parseSlashCommand(body);
  if (!parsed || parsed.ok) throw new Error(`expected a malformed command: ${JSON.stringify(parsed)}`);
  return parsed.reason;
}

describe("parseSlashCommand", () => {
  it("is not a command unless the first line starts with /mentorship", () => {
    expect(parseSlashCommand("hello /mentorship report")).toBeNull();
    expect(parseSlashCommand("thanks!\n/mentorship report")).toBeNull();
    expect(parseSlashCommand("/mentorships report")).toBeNull();
    expect(parseSlashCommand("")).toBeNull();
  });

  it("/mentorship alone, and help, are help", () => {
    expect(parseSlashCommand("/mentorship")).toEqual({ ok: true, command: { name: "help" } });
    expect(parseSlashCommand("/mentorship help")).toEqual({ ok: true, command: { name: "help" } });
    expect(parseSlashCommand("/mentorship --help")).toEqual({ ok: true, command: { name: "help" } });
  });

  it("status takes no arguments", () => {
    expect(parseSlashCommand("/mentorship status")).toEqual({ ok: true, command: { name: "status" } });
    expect(reason("/mentorship status now")).toMatch(/takes no arguments/);
  });

  it("report with nothing else", () => {
    expect(report("/mentorship report")).toEqual(none);
  });

  it("the program is the positional argument", () => {
    expect(report("/mentorship report amp-2026")).toEqual({ ...none, program: "amp-2026" });
    expect(reason("/mentorship report amp-2026 gsoc-2026")).toMatch(/unexpected argument `gsoc-2026`/);
  });

  it("reads every flag, as --flag value and --flag=value, in any order", () => {
    expect(report("/mentorship report --mentor alice amp-2026 --project cli --since 2026-06-01 --until=2026-07-31")).toEqual({
      program: "amp-2026",
      project: "cli",
      mentor: "alice",
      since: { date: "2026-06-01" },
      until: { date: "2026-07-31" },
    });
  });

  it("takes @login for --mentor", () => {
    expect(report("/mentorship report --mentor @Alice-B").mentor).toBe("Alice-B");
    expect(reason("/mentorship report --mentor al!ce")).toMatch(/not a GitHub login/);
  });

  it("refuses a bad date, naming it", () => {
    expect(reason("/mentorship report --since 2026-02-30")).toBe("`--since`: `2026-02-30` is not a date (use YYYY-MM-DD)");
    expect(reason("/mentorship report --until yesterday")).toMatch(/`--until`: `yesterday` is not a date/);
    expect(reason("/mentorship report --since 2026-6-1")).toMatch(/not a date/);
  });

  it("refuses since after until", () => {
    expect(reason("/mentorship report --since 2026-07-02 --until 2026-07-01")).toMatch(/before/);
    // One day: --until includes its whole day.
    expect(report("/mentorship report --since 2026-07-01 --until 2026-07-01").since).toEqual({ date: "2026-07-01" });
  });

  it("refuses unknown flags, a flag without a value, and a flag given twice", () => {
    expect(reason("/mentorship report --program amp-2026")).toBe("unknown option `--program`");
    expect(reason("/mentorship report -p cli")).toBe("unknown option `-p`");
    expect(reason("/mentorship report --since")).toBe("`--since` needs a date (YYYY-MM-DD)");
    expect(reason("/mentorship report --project --since 2026-06-01")).toBe("`--project` needs a project id");
    expect(reason("/mentorship report --project a --project b")).toBe("`--project` given twice");
  });

  it("refuses unknown subcommands", () => {
    expect(reason("/mentorship reprot")).toBe("unknown command `reprot`");
  });

  it("matches the command word and subcommand case-insensitively, keeping ids as written", () => {
    expect(report("/Mentorship REPORT AMP-2026 --Project CLI")).toEqual({ ...none, program: "AMP-2026", project: "CLI" });
    expect(parseSlashCommand("/MENTORSHIP Help")).toEqual({ ok: true, command: { name: "help" } });
  });

  it("ignores extra whitespace and anything after the first line", () => {
    expect(report("   /mentorship \t report   amp-2026    --project  cli  \r\nplease and thanks --since nope")).toEqual({
      ...none,
      program: "amp-2026",
      project: "cli",
    });
  });

  it("quotes hostile input inertly in the reason", () => {
    const r = reason("/mentorship report --since `@everyone`");
    expect(r).not.toContain("`@everyone`");
    expect(r).toContain("'@everyone'");
  });
});

describe("dates", () => {
  it("a date is a whole UTC day: since from its start, until through its end", () => {
    expect(boundStart({ date: "2026-06-01" })).toBe("2026-06-01T00:00:00Z");
    expect(boundEnd({ date: "2026-06-30" })).toBe("2026-07-01T00:00:00Z");
    expect(boundEnd({ date: "2026-12-31" })).toBe("2027-01-01T00:00:00Z");
  });

  it("an instant with a zone is taken exactly; one without is refused", () => {
    expect(parseDateBound("2026-06-01T09:30:00+02:00")).toEqual({ instant: "2026-06-01T07:30:00Z" });
    expect(parseDateBound("2026-06-01T09:30:00Z")).toEqual({ instant: "2026-06-01T09:30:00Z" });
    expect(parseDateBound("2026-06-01T09:30:00")).toBeNull();
    expect(parseDateBound("2026-06-01T25:00:00Z")).toBeNull();
    expect(parseDateBound("2025-02-29")).toBeNull();
    expect(parseDateBound("2024-02-29")).toEqual({ date: "2024-02-29" });
  });
});

describe("checkin", () => {
  it("names the mentee with or without @, and keeps the rest of the line as the note", () => {
    expect(parseSlashCommand("/mentorship checkin @mentee-one went through the design\nmore text")).toEqual({
      ok: true,
      command: { name: "checkin", mentee: "mentee-one", note: "went through the design" },
    });
    expect(parseSlashCommand("/Mentorship Checkin mentee-one")).toEqual({ ok: true, command: { name: "checkin", mentee: "mentee-one", note: null } });
  });

  it("needs a login", () => {
    expect(parseSlashCommand("/mentorship checkin")).toEqual({ ok: false, reason: "`checkin` needs the mentee, as in `/mentorship checkin @login`" });
    expect(parseSlashCommand("/mentorship checkin @@x")).toEqual({ ok: false, reason: "`@@x` is not a GitHub login" });
  });
});
