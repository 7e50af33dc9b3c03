import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { formatDuration, parseDuration } from "../../src/config/duration.js";
import {
  formatRosterError,
  parseRoster,
  peopleOf,
  summarizeRoster,
  type RosterError,
} from "../../src/config/roster.js";
import { rosterSchema, type Roster } from "../../src/config/roster-schema.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/rosters/${name}`, import.meta.url), "utf8");

function errorsOf(yamlText: string): RosterError[] {
  const result = parseRoster(yamlText);
  if (result.ok) {
    throw new Error("expected the roster to be invalid");
  }
  return result.errors;
}

function rosterOf(yamlText: string): Roster {
  const result = parseRoster(yamlText);
  if (!result.ok) {
    throw new Error(`expected a valid roster, got:\n${result.errors.map(formatRosterError).join("\n")}`);
  }
  return result.roster;
}

const DAY = 86_400;
const HOUR = 3_600;

describe("parseDuration", () => {
  test.each([
    ["48h", 48 * HOUR],
    ["7d", 7 * DAY],
    ["30m", 1_800],
    ["90s", 90],
    ["1w", 7 * DAY],
    ["0d", 0],
    ["1d12h", DAY + 12 * HOUR],
    ["1w2d3h4m5s", 9 * DAY + 3 * HOUR + 4 * 60 + 5],
    ["2d 3h", 2 * DAY + 3 * HOUR],
  ])("%s = %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each(["", "48", "2 days", "-1h", "1.5h", "h", "1h1d", "1d1d", "48H", "1y", "7d extra"])("rejects %j", (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration/);
  });

  test("says what is wrong", () => {
    expect(() => parseDuration("48")).toThrow('"48" is not a duration: the unit is missing');
    expect(() => parseDuration("12h1d")).toThrow('write each unit once, largest first (e.g. "1d12h", not "12h1d")');
  });
});

describe("formatDuration", () => {
  test.each([
    [0, "0s"],
    [45, "45s"],
    [250, "4m 10s"],
    [3_600, "1h"],
    [5 * HOUR + 20 * 60 + 29, "5h 20m"],
    [DAY - 1, "1d"],
    [2 * DAY + 3 * HOUR + 14 * 60, "2d 3h"],
    [3 * DAY, "3d"],
    [-90, "-1m 30s"],
  ])("%d seconds → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  test("round-trips through parseDuration", () => {
    expect(parseDuration(formatDuration(2 * DAY + 3 * HOUR))).toBe(2 * DAY + 3 * HOUR);
  });
});

describe("parseRoster: valid rosters", () => {
  test("valid-minimal.yml gets every default", () => {
    expect(rosterOf(fixture("valid-minimal.yml"))).toEqual({
      taskLabel: "mentorship",
      responders: "mentors",
      sla: { firstResponse: 48 * HOUR, menteeSilence: 7 * DAY },
      reminders: [10 * DAY, 5 * DAY, 0],
      admins: [],
      ignore: [],
      insights: { retention: [90 * DAY, 180 * DAY, 365 * DAY], activeWithin: 90 * DAY, publicLogins: false },
      privacy: { optOut: [], payloadRetention: 365 * DAY },
      programs: [
        {
          id: "pilot",
          name: "Pilot cohort",
          starts: "2026-06-15",
          ends: "2026-09-30",
          timezone: "UTC",
          milestones: [],
          projects: [{ id: "cli", title: "CLI", repos: ["example-org/cli"], mentors: ["alice"], mentees: ["bob"] }],
        },
      ],
    });
  });

  test("valid-full.yml: every field, converted", () => {
    const roster = rosterOf(fixture("valid-full.yml"));
    expect(roster).toEqual({
      taskLabel: "mentee-task",
      responders: "admins",
      sla: { firstResponse: DAY + 12 * HOUR, menteeSilence: 7 * DAY },
      reminders: [14 * DAY, 2 * DAY, 12 * HOUR, 0],
      admins: ["Alice-Admin", "carol"],
      ignore: [],
      insights: { retention: [30 * DAY, 7 * DAY], activeWithin: 60 * DAY, publicLogins: true },
      privacy: { optOut: ["frank"], payloadRetention: 90 * DAY },
      programs: [
        {
          id: "amp-2026",
          name: "Example Maintainership Program 2026",
          starts: "2026-06-15", // written quoted
          ends: "2026-10-17", // written bare: still a string
          timezone: "Europe/Berlin",
          businessHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:30" },
          trackingRepo: "example-org/community",
          milestones: [
            { id: "midterm", title: "Mid-term evaluation", due: "2026-08-22" },
            { id: "final", title: "Final evaluation", due: "2026-10-17" },
          ],
          projects: [
            {
              id: "cli",
              title: "Example CLI",
              repos: ["example-org/cli", "example-org/cli-plugins"],
              trackingIssue: { repo: "example-org/community", number: 2001 },
              mentors: ["dave", "Erin-"], // an old-style trailing hyphen is accepted, case is kept
              mentees: ["frank"],
            },
            // "007" stays a string: numbers and booleans are never resolved
            { id: "docs", title: "Docs overhaul", repos: ["example-org/docs"], mentors: ["dave"], mentees: ["grace", "007"] },
          ],
        },
        {
          id: "gsoc-2027",
          name: "Example Summer of Code 2027",
          starts: "2027-05-01",
          ends: "2027-08-31",
          timezone: "UTC",
          milestones: [],
          // the same project id in another program, and frank (a mentee above) now mentoring: both fine
          projects: [{ id: "cli", title: "Example CLI again", repos: ["example-org/cli"], mentors: ["Frank"], mentees: [] }],
        },
      ],
    });
    expect(summarizeRoster(roster)).toBe("2 programs, 3 projects, 7 people (3 mentors, 3 mentees)");
    expect(peopleOf(roster)).toEqual(["Alice-Admin", "carol", "dave", "Erin-", "frank", "grace", "007"]);
  });

  test("empty lists may be left blank", () => {
    const roster = rosterOf(
      [
        "admins:",
        "reminders:",
        "programs:",
        "  - { id: p, name: P, starts: 2026-01-01, ends: 2026-01-01, milestones: , projects: [] }",
      ].join("\n"),
    );
    expect(roster.admins).toEqual([]);
    expect(roster.reminders).toEqual([10 * DAY, 5 * DAY, 0]);
    expect(roster.programs[0]?.milestones).toEqual([]);
  });

  test("summary and people count logins case-insensitively, singular forms", () => {
    const roster = rosterOf(
      "admins: [Ann]\nprograms:\n  - id: p\n    name: P\n    starts: 2026-01-01\n    ends: 2026-02-01\n" +
        "    projects:\n      - { id: a, title: A, repos: [o/a], mentors: [ann], mentees: [Ben] }\n",
    );
    expect(summarizeRoster(roster)).toBe("1 program, 1 project, 2 people (1 mentor, 1 mentee)");
    expect(peopleOf(roster)).toEqual(["Ann", "Ben"]);
  });
});

describe("parseRoster: errors carry the YAML path and line", () => {
  test("malformed YAML: the parser's line, no path", () => {
    expect(errorsOf(fixture("invalid-yaml.yml"))).toEqual([
      {
        path: "",
        line: 11,
        message: "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      },
    ]);
  });

  test("a key given twice is a YAML error at the second one", () => {
    expect(errorsOf("taskLabel: a\nadmins: []\ntaskLabel: b\nprograms: []\n")).toEqual([
      { path: "", line: 3, message: "invalid YAML: Map keys must be unique" },
    ]);
  });

  test("empty file and non-mapping: one clear error", () => {
    expect(errorsOf("")).toEqual([
      { path: "", line: null, message: "the roster is empty: it needs at least a `programs:` list" },
    ]);
    expect(errorsOf("# nothing yet\n")).toHaveLength(1);
    expect(errorsOf("\n- programs\n")).toEqual([
      { path: "", line: 2, message: "the roster must be a mapping of keys (taskLabel, sla, admins, programs, …), not a list" },
    ]);
  });

  test("unknown keys: path and line of the key, with a suggestion", () => {
    expect(errorsOf(fixture("invalid-unknown-key.yml"))).toEqual([
      { path: "sla.menteSilence", line: 3, message: 'unknown key "menteSilence" (did you mean "menteeSilence"?)' },
      {
        path: "programs[0].projects[0].color",
        line: 15,
        message: 'unknown key "color" (allowed here: id, title, repos, trackingIssue, mentors, mentees)',
      },
    ]);
  });

  test("duplicate program id (case-insensitive)", () => {
    expect(errorsOf(fixture("invalid-duplicate-program.yml"))).toEqual([
      { path: "programs[2].id", line: 12, message: 'duplicate program id "AMP-2026" (also programs[0].id)' },
    ]);
  });

  test("milestone due outside the program's dates; the last day itself is fine", () => {
    expect(errorsOf(fixture("invalid-milestone-outside.yml"))).toEqual([
      { path: "programs[0].milestones[0].due", line: 7, message: "due date 2026-06-01 is before the program starts (2026-06-15)" },
      { path: "programs[0].milestones[3].due", line: 10, message: "due date 2026-10-24 is after the program ends (2026-10-17)" },
    ]);
  });

  test("ends before starts", () => {
    expect(errorsOf(fixture("invalid-ends-before-starts.yml"))).toEqual([
      { path: "programs[0].ends", line: 5, message: "ends (2026-06-15) is before starts (2026-10-17)" },
    ]);
  });

  test('"@bob" as a mentor: exact message and line', () => {
    const errors = errorsOf(fixture("invalid-login.yml"));
    expect(errors.map(formatRosterError)).toEqual([
      'programs[0].projects[1].mentees[0] (line 23): "frank smith" is not a GitHub login (letters, digits and hyphens, at most 39 characters)',
      'programs[0].projects[1].mentees[1] (line 24): "-grace" is not a GitHub login (letters, digits and hyphens, at most 39 characters)',
      'programs[0].projects[2].mentors[1] (line 31): "@bob" is not a GitHub login (drop the @)',
    ]);
  });

  test("bad durations", () => {
    expect(errorsOf(fixture("invalid-duration.yml"))).toEqual([
      {
        path: "sla.firstResponse",
        line: 2,
        message: '"2 days" is not a duration: use a number and a unit, e.g. "48h", "7d", "30m", "90s", "1w" or "1d12h"',
      },
      {
        path: "reminders[1]",
        line: 4,
        message:
          '"5" is not a duration: the unit is missing (use a number and a unit, e.g. "48h", "7d", "30m", "90s", "1w" or "1d12h")',
      },
    ]);
  });

  test("unknown timezone", () => {
    expect(errorsOf(fixture("invalid-timezone.yml"))).toEqual([
      {
        path: "programs[0].timezone",
        line: 6,
        message: '"Europe/Atlantis" is not a known timezone: use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"',
      },
    ]);
  });

  test("bad trackingIssue", () => {
    expect(errorsOf(fixture("invalid-tracking-issue.yml"))).toEqual([
      {
        path: "programs[0].projects[0].trackingIssue",
        line: 10,
        message: '"asyncapi/community/issues/2001" is not an issue reference: write owner/name#number, e.g. asyncapi/community#2001',
      },
      {
        path: "programs[0].projects[1].trackingIssue",
        line: 16,
        message: '"asyncapi/generator#0" is not an issue reference: write owner/name#number, e.g. asyncapi/community#2001',
      },
    ]);
  });

  test("the same person twice in a project, or as mentor and mentee of it; two projects are fine", () => {
    expect(errorsOf(fixture("invalid-people.yml"))).toEqual([
      { path: "programs[0].projects[0].mentors[2]", line: 12, message: '"bob" is listed twice in mentors (also mentors[0] as "Bob")' },
      { path: "programs[0].projects[0].mentees[1]", line: 13, message: '"Carol" is listed twice in mentees (also mentees[0] as "carol")' },
      { path: "programs[0].projects[1].mentees[1]", line: 18, message: '"DAVE" is both a mentor (mentors[0]) and a mentee of this project' },
    ]);
  });

  test("every error at once, sorted by line; missing keys point at their parent", () => {
    const yamlText = [
      "taskLabel: x", // 1
      "responders: everyone", // 2
      "sla:", // 3
      "  firstResponse: soon", // 4
      "programs:", // 5
      "  - id: amp", // 6
      "    name: AMP", // 7
      "    starts: 2026-06-31", // 8
      "    ends: 2026-10-17", // 9
      '    businessHours: { days: [mon, mon], start: "17:00", end: "9:00" }', // 10
      '    trackingRepo: "not a repo"', // 11
      "    projects:", // 12
      "      - id: cli", // 13
      "        title: CLI", // 14
      "        repos: [cli]", // 15
      "      - id: cli", // 16
      "        title: CLI again", // 17
      "        repos: [a/b]", // 18
      "  - id: amp", // 19
      "    name: AMP again", // 20
    ].join("\n");
    expect(errorsOf(yamlText)).toEqual([
      { path: "responders", line: 2, message: '"everyone" is not one of: mentors, admins, anyone' },
      { path: "sla.firstResponse", line: 4, message: expect.stringContaining('"soon" is not a duration') },
      { path: "programs[0].starts", line: 8, message: '"2026-06-31" is not a date: write YYYY-MM-DD, e.g. 2026-06-15' },
      { path: "programs[0].businessHours.days[1]", line: 10, message: '"mon" is listed twice' },
      {
        path: "programs[0].businessHours.end",
        line: 10,
        message: '"9:00" is not a time of day: write HH:MM on a 24-hour clock, quoted, e.g. "09:00"',
      },
      { path: "programs[0].trackingRepo", line: 11, message: '"not a repo" is not a repository: write owner/name, e.g. asyncapi/cli' },
      { path: "programs[0].projects[0].repos[0]", line: 15, message: '"cli" is not a repository: write owner/name, e.g. asyncapi/cli' },
      { path: "programs[0].projects[1].id", line: 16, message: 'duplicate project id "cli" in this program (also projects[0].id)' },
      { path: "programs[1].ends", line: 19, message: 'missing required key "ends"' },
      { path: "programs[1].id", line: 19, message: 'duplicate program id "amp" (also programs[0].id)' },
      { path: "programs[1].projects", line: 19, message: 'missing required key "projects"' },
      { path: "programs[1].starts", line: 19, message: 'missing required key "starts"' },
    ]);
  });

  test("business hours must end after they start", () => {
    const yamlText =
      "programs:\n  - id: p\n    name: P\n    starts: 2026-01-01\n    ends: 2026-02-01\n" +
      '    businessHours:\n      days: [mon]\n      start: "17:00"\n      end: "09:00"\n    projects: []\n';
    expect(errorsOf(yamlText)).toEqual([
      { path: "programs[0].businessHours.end", line: 9, message: "end (09:00) must be after start (17:00)" },
    ]);
  });

  test("wrong types say what was expected and what was found", () => {
    expect(errorsOf("admins: derberg\nprograms:\n  - just-a-string\n")).toEqual([
      { path: "admins", line: 1, message: 'expected a list, got "derberg"' },
      { path: "programs[0]", line: 3, message: 'expected a mapping (key: value lines), got "just-a-string"' },
    ]);
  });

  test("formatRosterError without a path or a line", () => {
    expect(formatRosterError({ path: "", line: 3, message: "invalid YAML: x" })).toBe("line 3: invalid YAML: x");
    expect(formatRosterError({ path: "", line: null, message: "the roster is empty" })).toBe("the roster is empty");
    expect(formatRosterError({ path: "sla", line: null, message: "m" })).toBe("sla: m");
  });

  test("rosterSchema applies the cross-field rules on its own too", () => {
    const result = rosterSchema.safeParse({
      programs: [{ id: "p", name: "P", starts: "2026-06-15", ends: "2026-06-01", projects: [] }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["programs.0.ends", "ends (2026-06-01) is before starts (2026-06-15)"],
    ]);
  });
});

describe("the real AsyncAPI rosters (test/fixtures/rosters/asyncapi-all.yml)", () => {
  // Built by `node test/fixtures/make-asyncapi-roster.mjs` from /work/shared/data/asyncapi-rosters.json.
  const roster = rosterOf(fixture("asyncapi-all.yml"));
  const projects = roster.programs.flatMap((program) => program.projects.map((project) => ({ program: program.id, ...project })));
  const where = (login: string, role: "mentors" | "mentees") =>
    projects.filter((p) => p[role].some((l) => l.toLowerCase() === login.toLowerCase())).map((p) => `${p.program}/${p.id}`);

  test("parses, with every selected or completed project", () => {
    // 49 = projects with status "selected" or "completed" in the JSON:
    //   jq '[.programs[].projects[] | select(.status == "selected" or .status == "completed")] | length'
    // (mentorship 2022: 9, 2023: 10, 2024: 8, AMP 2026: 3, GSoC 2023: 4, 2024: 7, 2025: 6, GSoD 2022: 2)
    expect(projects).toHaveLength(49);
    expect(roster.programs.map((p) => [p.id, p.projects.length])).toEqual([
      ["mentorship-2022", 9],
      ["mentorship-2023", 10],
      ["mentorship-2024", 8],
      ["amp-2026", 3],
      ["gsoc-2023", 4],
      ["gsoc-2024", 7],
      ["gsoc-2025", 6],
      ["gsod-2022", 2],
    ]);
    // 25 distinct mentors and 50 distinct mentees (case-insensitive), 10 of them in both roles;
    // the admins derberg and thulieblack are mentors too.
    expect(summarizeRoster(roster)).toBe("8 programs, 49 projects, 65 people (25 mentors, 50 mentees)");
  });

  test("AMP 2026 matches DESIGN.md", () => {
    const amp = roster.programs.find((p) => p.id === "amp-2026");
    expect(amp).toMatchObject({
      starts: "2026-06-15",
      ends: "2026-10-17",
      milestones: [
        { id: "midterm", title: "Mid-term evaluation", due: "2026-08-22" },
        { id: "final", title: "Final evaluation", due: "2026-10-17" },
      ],
    });
    expect(amp?.projects[0]).toEqual({
      id: "asyncapi-cli",
      title: "AsyncAPI CLI",
      repos: ["asyncapi/cli"],
      mentors: ["AayushSaini101", "Shurtu-gal"],
      mentees: ["neoandmatrix"],
    });
  });

  test("a person in two projects of one program", () => {
    // sagarkori143 had two GSoC 2025 projects; the 2024 documentation mentees shared two projects.
    expect(where("sagarkori143", "mentees")).toEqual([
      "gsoc-2025/refactor-the-scripts-inside-the-website",
      "gsoc-2025/add-e2e-tests-for-the-website-critical",
    ]);
    expect(where("SaxenaAnushka102", "mentees")).toEqual([
      "mentorship-2024/onboarding-contributor-guides",
      "mentorship-2024/expand-asyncapi-community-docs",
    ]);
  });

  test("the same login spelled in different case across programs", () => {
    const spellings = (login: string) =>
      [...new Set(projects.flatMap((p) => [...p.mentors, ...p.mentees]).filter((l) => l.toLowerCase() === login))].sort();
    expect(spellings("acethecreator")).toEqual(["AceTheCreator", "acethecreator"]);
    expect(spellings("mayaleeeee")).toEqual(["Mayaleeeee", "mayaleeeee"]);
    // counted once, first spelling kept
    expect(peopleOf(roster).filter((l) => l.toLowerCase() === "mayaleeeee")).toEqual(["Mayaleeeee"]);
  });

  test("mentees who later became mentors", () => {
    expect(where("Mayaleeeee", "mentees")).toEqual([
      "mentorship-2022/website-ui-kit-design-dev-project",
      "mentorship-2023/website-ui-kit-design-dev-project",
    ]);
    expect(where("Mayaleeeee", "mentors")).toEqual([
      "mentorship-2024/holopin-design-project",
      "gsoc-2024/conference-website-maintenance",
    ]);
    expect(where("Shurtu-gal", "mentees")).toEqual(["mentorship-2023/prepare-cli-for-v1-0-0-release"]);
    expect(where("Shurtu-gal", "mentors")).toEqual(["amp-2026/asyncapi-cli"]);
    expect(where("Adi-204", "mentees")).toEqual(["gsoc-2025/asyncapi-generator-maintainership"]);
    expect(where("Adi-204", "mentors")).toEqual(["amp-2026/asyncapi-generator"]);
  });

  test("gaps in the sources become defaults", () => {
    const docs = roster.programs.find((p) => p.id === "gsod-2022");
    // GSoD 2022 names no repos or people; dates given as months. Its projects load without repos.
    expect(docs).toMatchObject({ starts: "2022-05-01", ends: "2022-12-31" });
    expect(docs?.projects.map((p) => [p.repos, p.mentors, p.mentees])).toEqual([
      [[], [], []],
      [[], [], []],
    ]);
  });
});

describe("parseRoster: insights", () => {
  const base = "programs:\n  - { id: p, name: P, starts: 2026-01-01, ends: 2026-02-01, projects: [] }\n";
  test.each([
    ['insights:\n  publicLogins: "yes"\n', "insights.publicLogins"],
    ["insights:\n  retention: [90 days]\n", "insights.retention[0]"],
    ["insights:\n  retention: []\n", "insights.retention"],
    ["insights:\n  retain: [90d]\n", "insights.retain"],
  ])("%j is refused at its path", (yaml, path) => {
    const parsed = parseRoster(base + yaml);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toContain(path);
  });
});
