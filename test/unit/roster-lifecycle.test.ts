import { describe, expect, test } from "@jest/globals";
import { formatRosterError, parseRoster, peopleOf } from "../../src/config/roster.js";
import type { Roster } from "../../src/config/roster-schema.js";
import { resolveRoster } from "../../src/domain/resolve-roster.js";

const GSOC = `programs:
  - id: gsoc-2026
    name: GSoC 2026
    starts: 2026-05-01
    ends: 2026-09-01
    checkIns: CADENCE
    evaluations:
      - { id: midterm, title: Midterm, opens: 2026-07-07, due: 2026-07-11, by: both }
      - { id: final,   title: Final,   opens: 2026-08-25, due: 2026-09-01, by: mentor }
    projects:
      - id: cli
        title: CLI
        repos: [asyncapi/cli]
        mentors: [a-mentor]
        mentees:
          - plain-mentee
          - login: a-mentee
            extensions: { final: 2026-10-01, ends: 2026-10-01 }
            status: active
            statusDate: 2026-05-01
`;

function roster(text: string): Roster {
  const result = parseRoster(text);
  if (!result.ok) throw new Error(result.errors.map(formatRosterError).join("\n"));
  return result.roster;
}

function problems(text: string): string[] {
  const result = parseRoster(text);
  if (result.ok) throw new Error("expected the roster to be invalid");
  return result.errors.map(formatRosterError);
}

describe("roster: evaluations, check-ins and per-enrolment terms", () => {
  test("rounds, cadence and the object form of a mentee are read; mentees stay a list of logins", () => {
    const program = roster(GSOC.replace("CADENCE", "weekly")).programs[0]!;
    expect(program.checkIns).toBe(7 * 86_400);
    expect(program.evaluations!.map((r) => [r.id, r.opens, r.due, r.by])).toEqual([
      ["midterm", "2026-07-07", "2026-07-11", "both"],
      ["final", "2026-08-25", "2026-09-01", "mentor"],
    ]);
    const project = program.projects[0]!;
    expect(project.mentees).toEqual(["plain-mentee", "a-mentee"]);
    expect(project.menteeTerms).toEqual([
      { login: "plain-mentee", extensions: {}, status: "active" },
      { login: "a-mentee", extensions: { final: "2026-10-01", ends: "2026-10-01" }, status: "active", statusDate: "2026-05-01" },
    ]);
  });

  test.each([
    ["biweekly", 14 * 86_400],
    ["10d", 10 * 86_400],
  ])("checkIns: %s", (cadence, seconds) => {
    expect(roster(GSOC.replace("CADENCE", cadence)).programs[0]!.checkIns).toBe(seconds);
  });

  test("the terms follow each mentee to their numeric id, and every login counts as a person", () => {
    const r = roster(GSOC.replace("CADENCE", "weekly"));
    expect(peopleOf(r)).toEqual(["a-mentor", "plain-mentee", "a-mentee"]);
    const people = new Map(peopleOf(r).map((login, i) => [login.toLowerCase(), { id: 100 + i, login }]));
    const resolved = resolveRoster(r, people);
    if (!resolved.ok) throw new Error("unresolved");
    const program = resolved.model.programs[0]!;
    expect(program.checkInSeconds).toBe(604_800);
    expect(program.evaluations).toHaveLength(2);
    expect(program.projects[0]!.mentees.map((m) => m.id)).toEqual([101, 102]);
    expect(program.projects[0]!.menteeTerms?.[1]).toEqual({
      menteeId: 102,
      extensions: { final: "2026-10-01", ends: "2026-10-01" },
      status: "active",
      statusDate: "2026-05-01",
    });
  });

  test("every mistake is named with its path and line", () => {
    const text = GSOC.replace("CADENCE", "fortnightly")
      .replace("by: mentor }", "by: everyone }")
      .replace("opens: 2026-07-07, due: 2026-07-11", "opens: 2026-07-12, due: 2026-07-11")
      .replace("status: active", "status: done")
      .replace("          - plain-mentee\n", "          - plain-mentee\n          - \"@bad\"\n          - { login: a-mentor }\n          - { login: Plain-Mentee }\n");
    expect(problems(text)).toEqual([
      'programs[0].checkIns (line 6): "fortnightly" is not a cadence: write weekly, biweekly or a duration such as 10d',
      "programs[0].evaluations[0].due (line 8): due (2026-07-11) is before opens (2026-07-12)",
      'programs[0].evaluations[1].by (line 9): "everyone" is not one of: mentor, mentee, both',
      'programs[0].projects[0].mentees[1] (line 17): "@bad" is not a GitHub login (drop the @)',
      'programs[0].projects[0].mentees[2] (line 18): "a-mentor" is both a mentor (mentors[0]) and a mentee of this project',
      'programs[0].projects[0].mentees[3] (line 19): "Plain-Mentee" is listed twice in mentees (also mentees[0] as "plain-mentee")',
      'programs[0].projects[0].mentees[4].status (line 22): "done" is not one of: active, completed, withdrawn, failed',
    ]);
    const extensionProblems = problems(
      GSOC.replace("CADENCE", "weekly").replace("final: 2026-10-01, ends: 2026-10-01", "fnal: 2026-10-01, ends: 2026-08-01, midterm: 2026-07-01"),
    );
    expect(extensionProblems).toEqual([
      "programs[0].projects[0].mentees[1].extensions.ends (line 18): extension 2026-08-01 is before the date it extends (2026-09-01)",
      'programs[0].projects[0].mentees[1].extensions.fnal (line 18): "fnal" is not an evaluation round of this program (extend one of: "midterm", "final", "ends")',
      "programs[0].projects[0].mentees[1].extensions.midterm (line 18): extension 2026-07-01 is before the date it extends (2026-07-11)",
    ]);
  });

  test("rounds stay inside the program and keep distinct ids", () => {
    const text = GSOC.replace("CADENCE", "weekly")
      .replace("opens: 2026-08-25, due: 2026-09-01", "opens: 2026-04-25, due: 2026-09-02")
      .replace("id: final,", "id: midterm,");
    expect(problems(text)).toEqual([
      "programs[0].evaluations[1].due (line 9): due date 2026-09-02 is after the program ends (2026-09-01)",
      'programs[0].evaluations[1].id (line 9): duplicate evaluation id "midterm" (also evaluations[0].id)',
      "programs[0].evaluations[1].opens (line 9): opens (2026-04-25) before the program starts (2026-05-01)",
      'programs[0].projects[0].mentees[1].extensions.final (line 18): "final" is not an evaluation round of this program (extend one of: "midterm", "ends")',
    ]);
  });

  test("an ignored machine account cannot be a mentee in the object form either", () => {
    const text = `ignore: [a-bot-user]\n${GSOC.replace("CADENCE", "weekly").replace("login: a-mentee", "login: a-bot-user")}`;
    expect(problems(text)).toEqual(['programs[0].projects[0].mentees[1] (line 18): "a-bot-user" is in ignore[0] and cannot also be a mentee']);
    // Also while another mistake in the project keeps it from being read as a whole.
    expect(problems(text.replace("mentors: [a-mentor]", 'mentors: ["@a-mentor"]'))).toEqual([
      'programs[0].projects[0].mentors[0] (line 15): "@a-mentor" is not a GitHub login (drop the @)',
      'programs[0].projects[0].mentees[1] (line 18): "a-bot-user" is in ignore[0] and cannot also be a mentee',
    ]);
  });
});
