import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { parseRoster } from "../../src/config/roster.js";
import type { MaintainerSignal } from "../../src/domain/insights.js";
import type { InstallationModel, Person } from "../../src/domain/program.js";
import { resolveRoster } from "../../src/domain/resolve-roster.js";
import { ALL, type Contribution, insightsOver } from "../helpers/insight-facts.js";

/** Resolves every login of a roster, the same person for any letter case (as GitHub ids do). */
function modelOf(yaml: string): InstallationModel {
  const parsed = parseRoster(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const people = new Map<string, Person>();
  const add = (login: string) => {
    if (!people.has(login.toLowerCase())) people.set(login.toLowerCase(), { id: people.size + 1, login });
  };
  parsed.roster.admins.forEach(add);
  for (const program of parsed.roster.programs) for (const project of program.projects) [...project.mentors, ...project.mentees].forEach(add);
  const resolved = resolveRoster(parsed.roster, people);
  if (!resolved.ok) throw new Error(resolved.unknownLogins.join(", "));
  return resolved.model;
}

const idOf = (model: InstallationModel, login: string): number => {
  for (const p of model.programs) for (const j of p.projects) for (const x of [...j.mentors, ...j.mentees]) if (x.login.toLowerCase() === login) return x.id;
  throw new Error(`no ${login}`);
};

// p1 runs 2024-01-01 .. 2024-03-31: it ends at 2024-04-01T00:00Z, so its 90-day window is
// (2024-04-01, 2024-06-30], its 180-day window (2024-04-01, 2024-09-28], its 365-day window
// (2024-04-01, 2025-04-01]. p2 ends at 2024-11-16T00:00Z: on 2024-12-01 every window of it is open.
const STORY = `
admins: [boss]
programs:
  - id: p1
    name: Program one
    starts: 2024-01-01
    ends: 2024-03-31
    projects:
      - { id: a, title: A, repos: [org/a], mentors: [mia], mentees: [ana, bo, cy, dee] }
  - id: p2
    name: Program two
    starts: 2024-10-01
    ends: 2024-11-15
    projects:
      - { id: b, title: B, repos: [org/b], mentors: [mia], mentees: [ed] }
`;

describe("retention windows on a story with known answers", () => {
  const model = modelOf(STORY);
  const [ana, bo, cy, dee, ed, mia] = ["ana", "bo", "cy", "dee", "ed", "mia"].map((l) => idOf(model, l)) as [number, number, number, number, number, number];
  const contributions: Contribution[] = [
    { personId: ana, at: "2024-02-01T10:00:00Z" },
    { personId: ana, at: "2024-05-01T10:00:00Z" }, // day 30 after the end: retained at 90, 180, 365
    { personId: bo, at: "2024-04-01T00:00:00Z" }, // the end instant itself is not after the program
    { personId: bo, at: "2024-09-01T00:00:00Z" }, // day 153: retained at 180 only (365 is too early)
    { personId: cy, at: "2024-03-01T00:00:00Z" }, // nothing after the end: lost at 90 and 180
    { personId: dee, at: "2024-06-30T00:00:00Z" }, // exactly end + 90 days: the window includes its end
    { personId: ed, at: "2024-11-20T00:00:00Z" },
    { personId: mia, at: "2024-01-05T00:00:00Z" },
  ];
  const now = new Date("2024-12-01T00:00:00Z");
  const insights = insightsOver(model, contributions, now);

  test("90 and 180 days count the closed windows; 365 days and the program still fresh are too early", () => {
    expect(insights.retention).toEqual([
      { days: 90, eligible: 4, retained: 2, rate: 0.5, tooEarly: 1, noData: 0 },
      { days: 180, eligible: 4, retained: 3, rate: 0.75, tooEarly: 1, noData: 0 },
      { days: 365, eligible: 0, retained: 0, rate: null, tooEarly: 5, noData: 0 },
    ]);
    expect(insights.alumni).toBe(5);
  });

  test("currently active: a contribution in the last 90 days, of the alumni", () => {
    // Only ed (2024-11-20) and bo (2024-09-01 is 91 days before 2024-12-01: out) -> ed alone.
    expect(insights.currentlyActive).toEqual({ days: 90, count: 1, rate: 1 / 5, of: 5 });
  });

  test("a window that opens before the stored activity is neither retained nor lost", () => {
    const late = insightsOver(model, contributions.filter((c) => c.at >= "2024-06-01"), now);
    // Activity starts 2024-06-30: p1's windows open 2024-04-01, before any data.
    expect(late.retention[0]).toEqual({ days: 90, eligible: 0, retained: 0, rate: null, tooEarly: 1, noData: 4 });
    expect(late.dataFrom).toEqual({ activity: "2024-06-30", everyone: "2020-01-01", note: "activity known from 2024-06-30; everyone's activity (newcomers) from 2020-01-01" });
  });

  test("the same story a year later: every 365-day window of p1 has closed", () => {
    const later = insightsOver(model, contributions, new Date("2025-12-01T00:00:00Z"));
    expect(later.retention[2]).toEqual({ days: 365, eligible: 5, retained: 4, rate: 0.8, tooEarly: 0, noData: 0 });
  });

  test("roster thresholds replace the defaults", () => {
    const custom = modelOf(`${STORY}\ninsights:\n  retention: [31d]\n  activeWithin: 120d\n  publicLogins: "true"\n`);
    const figures = insightsOver(custom, contributions, now);
    // ana's 2024-05-01T10:00Z is 30 days and 10 hours after the end: inside 31 days.
    expect(figures.retention).toEqual([{ days: 31, eligible: 4, retained: 1, rate: 0.25, tooEarly: 1, noData: 0 }]);
    expect(figures.currentlyActive.count).toBe(2); // since 2024-08-03: bo (2024-09-01) and ed
    expect(figures.settings).toEqual({ retentionDays: [31], activeDays: 120, publicLogins: true });
  });
});

describe("comparison cohort: newcomers nobody mentored", () => {
  const model = modelOf(STORY);
  // Three people off the roster; mia and ana are on it.
  const [nina, omar, pat] = [1000, 1001, 1002];
  const [mia, ana] = [idOf(model, "mia"), idOf(model, "ana")];
  const contributions: Contribution[] = [
    { personId: nina, at: "2024-02-10T00:00:00Z" }, // first contribution during p1
    { personId: nina, at: "2024-05-10T00:00:00Z" }, // retained at 90 and 180 after p1's end
    { personId: omar, at: "2024-03-01T00:00:00Z" }, // during p1, never again: lost
    { personId: pat, at: "2023-12-01T00:00:00Z" }, // before any program: not a newcomer of one
    { personId: pat, at: "2024-05-10T00:00:00Z" },
    { personId: mia, at: "2024-01-05T00:00:00Z" }, // a mentor is not a newcomer nobody mentored
    { personId: mia, at: "2024-05-05T00:00:00Z" },
    { personId: ana, at: "2024-02-01T00:00:00Z" },
  ];
  const insights = insightsOver(model, contributions, new Date("2024-12-01T00:00:00Z"));

  test("people off the roster whose first contribution falls in a program are measured from its end", () => {
    expect(insights.comparison.programsLeftOut).toEqual([]);
    expect(insights.comparison.newcomers).toBe(2);
    expect(insights.comparison.retention).toEqual([
      { days: 90, eligible: 2, retained: 1, rate: 0.5, tooEarly: 0, noData: 0 },
      { days: 180, eligible: 2, retained: 1, rate: 0.5, tooEarly: 0, noData: 0 },
      { days: 365, eligible: 0, retained: 0, rate: null, tooEarly: 2, noData: 0 },
    ]);
  });

  test("a program that started before the install has no cohort: only mentees' threads were read then", () => {
    const installedLate = insightsOver(model, contributions, new Date("2024-12-01T00:00:00Z"), ALL, [], "2024-01-15T00:00:00Z");
    expect(installedLate.comparison.programsLeftOut).toEqual(["p1"]);
    expect(installedLate.comparison.newcomers).toBe(0);
    expect(installedLate.comparison.retention[0]).toEqual({ days: 90, eligible: 0, retained: 0, rate: null, tooEarly: 0, noData: 0 });
  });
});

describe("returning mentors, mentee to mentor, mentee to maintainer", () => {
  const yaml = `
programs:
  - id: y1
    name: Year one
    starts: 2022-03-01
    ends: 2022-06-30
    projects:
      - { id: a, title: A, repos: [org/a], mentors: [Mia], mentees: [ana, bo] }
      - { id: b, title: B, repos: [org/b], mentors: [max], mentees: [ANA] }
  - id: y1b
    name: Year one, autumn
    starts: 2022-09-01
    ends: 2022-11-30
    projects:
      - { id: a, title: A, repos: [org/a], mentors: [max], mentees: [cy] }
  - id: y2
    name: Year two
    starts: 2023-03-01
    ends: 2023-06-30
    projects:
      - { id: a, title: A, repos: [org/a], mentors: [mia, Ana], mentees: [dee] }
`;
  const model = modelOf(yaml);
  const now = new Date("2024-01-01T00:00:00Z");

  test("people and slots: one person in two projects is one mentee and two slots; letter case never splits a person", () => {
    const insights = insightsOver(model, [], now);
    expect(insights.byYear).toEqual([
      {
        year: 2022,
        programs: [
          { id: "y1", name: "Year one", mentees: 2, menteeSlots: 3, mentors: 2 },
          { id: "y1b", name: "Year one, autumn", mentees: 1, menteeSlots: 1, mentors: 1 },
        ],
        mentees: 3,
        menteeSlots: 4,
        mentors: 2,
      },
      { year: 2023, programs: [{ id: "y2", name: "Year two", mentees: 1, menteeSlots: 1, mentors: 2 }], mentees: 1, menteeSlots: 1, mentors: 2 },
    ]);
    expect(insights.people).toEqual({ mentees: 4, mentors: 3, menteeSlots: 5 });
  });

  test("a returning mentor mentors in two distinct years (two programs of one year are not a return)", () => {
    const insights = insightsOver(model, [], now);
    expect(insights.returningMentors).toEqual({ count: 1, rate: 1 / 3, logins: ["Mia"] });
    expect(insights.menteeToMentor).toEqual({ count: 1, rate: 1 / 4, logins: ["ana"] });
  });

  test("a maintainer signal counts from the alumnus's first program on, never before it", () => {
    const [ana, bo] = [idOf(model, "ana"), idOf(model, "bo")];
    const signals: MaintainerSignal[] = [
      { personId: ana, at: "2023-08-01T00:00:00Z", how: "merge", where: "org/a#7" },
      { personId: bo, at: "2021-05-01T00:00:00Z", how: "merge", where: "org/a#3" },
    ];
    const insights = insightsOver(model, [], now, ALL, signals);
    expect(insights.menteeToMaintainer).toEqual({
      count: 1,
      rate: 1 / 4,
      logins: ["ana"],
      signals: [{ login: "ana", at: "2023-08-01T00:00:00Z", how: "merge", where: "org/a#7" }],
    });
  });

  test("the scope filters programs by id and by start date", () => {
    expect(insightsOver(model, [], now, { programIds: ["y2"], since: null, until: null }).people).toEqual({ mentees: 1, mentors: 2, menteeSlots: 1 });
    expect(insightsOver(model, [], now, { programIds: null, since: "2022-06-01", until: "2023-01-01" }).byYear.map((y) => y.programs.map((p) => p.id))).toEqual([["y1b"]]);
  });
});
