import { describe, expect, test } from "@jest/globals";
import { formatRosterError, loginsToResolve, parseRoster } from "../../src/config/roster.js";
import { anonymousPerson, displayModel, keepForgotten, namingOf, replacePerson } from "../../src/domain/privacy.js";
import { resolveRoster } from "../../src/domain/resolve-roster.js";

const ROSTER = `
privacy:
  optOut: [Quiet-Mentee, old-mentor, outsider]
programs:
  - id: amp-2026
    name: AMP 2026
    starts: 2026-06-15
    ends: 2026-10-17
    projects:
      - { id: cli, title: CLI, repos: [asyncapi/cli], mentors: [old-mentor, loud-mentor], mentees: [quiet-mentee, loud-mentee] }
  - id: amp-2027
    name: AMP 2027
    starts: 2027-06-15
    ends: 2027-10-17
    projects:
      - { id: cli, title: CLI, repos: [asyncapi/cli], mentors: [quiet-mentee], mentees: [new-mentee] }
`;

const PEOPLE = new Map(
  [
    ["quiet-mentee", 11],
    ["loud-mentee", 12],
    ["old-mentor", 21],
    ["loud-mentor", 22],
    ["outsider", 31],
    ["new-mentee", 13],
  ].map(([login, id]) => [login as string, { id: id as number, login: login as string }]),
);

function model() {
  const parsed = parseRoster(ROSTER);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatRosterError).join("\n"));
  const resolved = resolveRoster(parsed.roster, PEOPLE);
  if (!resolved.ok) throw new Error(`unknown: ${resolved.unknownLogins.join(", ")}`);
  return resolved.model;
}

describe("privacy in the roster", () => {
  test("opt-out logins are resolved to ids with everyone else, one lookup per person whatever the case", () => {
    const parsed = parseRoster(ROSTER);
    if (!parsed.ok) throw new Error("invalid");
    expect(loginsToResolve(parsed.roster).map((l) => l.toLowerCase()).sort()).toEqual(
      ["loud-mentee", "loud-mentor", "new-mentee", "old-mentor", "outsider", "quiet-mentee"],
    );
    expect(model().privacy).toEqual({
      optOut: [{ id: 11, login: "quiet-mentee" }, { id: 21, login: "old-mentor" }, { id: 31, login: "outsider" }],
      payloadRetentionSeconds: 365 * 86_400,
    });
  });

  test("a bad opt-out login and a too-short retention are errors with their line", () => {
    const parsed = parseRoster(`privacy:\n  optOut: ["@someone"]\n  payloadRetention: 2h\nprograms: []\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map(formatRosterError)).toEqual([
      'privacy.optOut[0] (line 2): "@someone" is not a GitHub login (drop the @)',
      "privacy.payloadRetention (line 3): must be at least 1d",
    ]);
  });

  test("a misspelt key is named with the right one", () => {
    const parsed = parseRoster(`privacy:\n  optout: [someone]\nprograms: []\n`);
    expect(parsed.ok ? [] : parsed.errors.map(formatRosterError)).toEqual(['privacy.optout (line 2): unknown key "optout" (did you mean "optOut"?)']);
  });

  test("an opt-out login GitHub does not know stops the roster like any unknown login", () => {
    const parsed = parseRoster(`privacy: { optOut: [nobody-here] }\nprograms: []\n`);
    if (!parsed.ok) throw new Error("invalid");
    expect(resolveRoster(parsed.roster, PEOPLE)).toEqual({ ok: false, unknownLogins: ["nobody-here"] });
  });
});

describe("naming", () => {
  test("opted-out people get a label numbered by their place in the list, by id whatever their login now", () => {
    const naming = namingOf(model().privacy);
    expect(naming.name({ id: 11, login: "renamed-since" }, "mentee")).toBe("opted-out mentee 1");
    expect(naming.name({ id: 21, login: "old-mentor" }, "mentor")).toBe("opted-out mentor 2");
    expect(naming.name({ id: 12, login: "loud-mentee" }, "mentee")).toBe("loud-mentee");
    expect(naming.markerName({ id: 11, login: "x" }, "mentee", 11)).toBe("opted-out-mentee-1");
    expect(naming.markerName({ id: 12, login: "loud-mentee" }, "mentee", 12)).toBe("12");
  });

  test("the display model hides every opted-out person in each role they hold, and keeps ids", () => {
    const shown = displayModel(model());
    const [y2026, y2027] = shown.programs;
    expect(y2026!.projects[0]!.mentors).toEqual([{ id: 21, login: "opted-out mentor 2" }, { id: 22, login: "loud-mentor" }]);
    expect(y2026!.projects[0]!.mentees).toEqual([{ id: 11, login: "opted-out mentee 1" }, { id: 12, login: "loud-mentee" }]);
    // The same person, a mentor a year later: the same number.
    expect(y2027!.projects[0]!.mentors).toEqual([{ id: 11, login: "opted-out mentor 1" }]);
    expect(JSON.stringify(shown)).not.toMatch(/quiet-mentee|old-mentor|outsider/i);
  });

  test("without opt-outs the model is shown as it is", () => {
    const m = model();
    m.privacy = { optOut: [], payloadRetentionSeconds: 86_400 };
    expect(displayModel(m)).toBe(m);
  });
});

describe("forgotten people across roster loads", () => {
  test("stay enrolled where their program and project still are, once, with their terms; nowhere else", () => {
    const before = replacePerson(model(), new Set([11]), anonymousPerson(4));
    before.programs[0]!.projects[0]!.menteeTerms = [{ menteeId: -4, extensions: {}, status: "withdrawn", statusDate: null }];
    const next = model();
    // The file no longer lists quiet-mentee (id 11): neither as a 2026 mentee nor as a 2027 mentor.
    next.programs[0]!.projects[0]!.mentees = [{ id: 12, login: "loud-mentee" }];
    next.programs[1]!.projects[0]!.mentors = [];
    next.programs[1]!.id = "amp-2027-renamed";
    const kept = keepForgotten(before, next);
    expect(kept.programs[0]!.projects[0]!.mentees).toEqual([{ id: 12, login: "loud-mentee" }, { id: -4, login: "forgotten person 4" }]);
    expect(kept.programs[0]!.projects[0]!.menteeTerms).toEqual([{ menteeId: -4, extensions: {}, status: "withdrawn", statusDate: null }]);
    // A program the new roster renamed is a different program: nothing is carried into it.
    expect(kept.programs[1]!.projects[0]!.mentors).toEqual([]);
    expect(keepForgotten(kept, kept)).toEqual(kept);
    expect(keepForgotten(null, next)).toBe(next);
  });
});
