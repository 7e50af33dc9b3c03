import { describe, expect, test } from "@jest/globals";
import { formatRosterError, parseRoster } from "../../src/config/roster.js";

const event = (extra = "", project = "") => `
programs:
  - id: amp-2026
    name: Maintainership
    starts: 2026-06-15
    ends: 2026-10-17
    projects:
      - { id: cli, title: CLI, repos: [asyncapi/cli], mentors: [mira], mentees: [kai] }
  - id: hacktoberfest-2026
    name: Hacktoberfest 2026
    starts: 2026-10-01
    ends: 2026-10-31
    open: true
${extra}
    projects:
      - id: cli
        title: CLI
        repos: [asyncapi/cli]
        mentors: [mira, omar]
${project}
`;

function errors(text: string): string[] {
  const result = parseRoster(text);
  if (result.ok) throw new Error("expected errors");
  return result.errors.map(formatRosterError);
}

describe("open programs in the roster", () => {
  test("an open program without rules gets the public Hacktoberfest rules; a mentorship program stays closed", () => {
    const result = parseRoster(event());
    if (!result.ok) throw new Error(result.errors.map(formatRosterError).join("\n"));
    const [amp, hacktoberfest] = result.roster.programs;
    expect(amp!.open).toBeUndefined();
    expect(hacktoberfest!.open).toBe(true);
    expect(hacktoberfest!.rules).toBeUndefined();
  });

  test("each rule can be overridden, and the others keep their defaults", () => {
    const result = parseRoster(event(`    rules: { window: timezone, topic: "", acceptedLabel: "hacktoberfest: accepted", reviewPeriod: 3d, goal: "6" }
    trackingIssue: asyncapi/community#900`));
    if (!result.ok) throw new Error(result.errors.map(formatRosterError).join("\n"));
    const program = result.roster.programs[1]!;
    expect(program.rules).toEqual({
      window: "timezone",
      topic: null,
      acceptedLabel: "hacktoberfest: accepted",
      spamLabel: "spam",
      invalidLabel: "invalid",
      reviewPeriod: 3 * 86_400,
      goal: 6,
    });
    expect(program.trackingIssue).toEqual({ repo: "asyncapi/community", number: 900 });
  });

  test("mentees in an open program, rules in a closed one, and bad rule values are errors with their lines", () => {
    const found = errors(event(`    rules: { goal: "four", reviewPeriod: soon, spamLabel: "not spam", topic: Hacktoberfest, windw: anywhere }`, "        mentees: [kai]"));
    expect(found).toHaveLength(6);
    expect(found).toEqual(expect.arrayContaining([
      'programs[1].rules.windw (line 14): unknown key "windw" (did you mean "window"?)',
      'programs[1].rules.spamLabel (line 14): "not spam" is not a label word: one word such as "spam", matched as a whole word in any case',
      'programs[1].rules.topic (line 14): "Hacktoberfest" is not a GitHub topic: lower-case letters, digits and hyphens, e.g. hacktoberfest',
      expect.stringMatching(/^programs\[1\]\.rules\.reviewPeriod \(line 14\): "soon" is not a duration/),
      'programs[1].rules.goal (line 14): "four" is not a goal: write a whole number of pull requests, e.g. 4',
      "programs[1].projects[0].mentees (line 20): an open program lists no mentees: the authors of qualifying pull requests take part",
    ]));
    expect(errors(event().replace("    open: true\n", "").replace("    projects:\n      - id: cli\n        title: CLI\n        repos", "    rules: { goal: \"2\" }\n    projects:\n      - id: cli\n        title: CLI\n        repos"))).toEqual([
      "programs[1].rules (line 14): rules applies to open programs only: add open: true to this program, or move it",
    ]);
    expect(errors(event().replace(/    projects:\n      - id: cli\n        title: CLI\n        repos: \[asyncapi\/cli\]\n        mentors: \[mira, omar\]\n/, "    projects: []\n"))).toEqual([
      "programs[1].projects (line 15): an open program needs a project: its mentors are the maintainers who answer the participants (leave out repos for the topic's repositories)",
    ]);
  });
});
