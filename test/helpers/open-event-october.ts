import { formatRosterError, parseRoster, peopleOf } from "../../src/config/roster.js";
import type { InstallationModel } from "../../src/domain/program.js";
import { withTopicRepos } from "../../src/domain/open-program.js";
import { resolveRoster } from "../../src/domain/resolve-roster.js";
import type { EventPrSpec } from "./open-event-story.js";
import { ghBot, ghUser, type GhUser } from "./payloads.js";

/**
 * Hacktoberfest 2026 at asyncapi, replayed (issue 18): 52 PRs by 22 people and a bot. Three repositories
 * take part: cli and generator through their projects, website through its `hacktoberfest` topic; spec
 * has no topic and no project. A mentorship program runs beside it, with a mentee who also takes part.
 * The report is read at NOW; the figures worked out from this table are in test/integration/open-program.test.ts.
 */
export const CLI = "asyncapi/cli";
export const GENERATOR = "asyncapi/generator";
export const WEBSITE = "asyncapi/website";
export const SPEC = "asyncapi/spec";
export const NOW = new Date("2026-11-03T12:00:00Z");

export const mira = ghUser("mira-maintainer");
export const omar = ghUser("omar-maintainer");
export const sam = ghUser("sam-maintainer");
export const tara = ghUser("tara-maintainer");
const kai = ghUser("kai-mentee");
const p = (n: number): GhUser => ghUser(`hacker-${String(n).padStart(2, "0")}`);

export const ROSTER = `
admins: [program-admin]
programs:
  - id: amp-2026
    name: AsyncAPI Maintainership Program 2026
    starts: 2026-06-15
    ends: 2026-12-15
    projects:
      - { id: docs, title: Docs, repos: [asyncapi/website], mentors: [tara-maintainer], mentees: [kai-mentee] }
  - id: hacktoberfest-2026
    name: Hacktoberfest 2026
    starts: 2026-10-01
    ends: 2026-10-31
    open: true
    trackingIssue: asyncapi/community#900
    projects:
      - { id: cli, title: CLI, repos: [asyncapi/cli], mentors: [mira-maintainer, omar-maintainer] }
      - { id: generator, title: Generator, repos: [asyncapi/generator], mentors: [sam-maintainer] }
      - { id: topic-repos, title: Repositories with the topic, mentors: [tara-maintainer] }
`;

/** The roster above through the real parser and resolver, with the installation's repository topics. */
export function octoberModel(): InstallationModel {
  const parsed = parseRoster(ROSTER);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatRosterError).join("\n"));
  const people = new Map(peopleOf(parsed.roster).map((login) => [login.toLowerCase(), { id: ghUser(login).id, login }]));
  const resolved = resolveRoster(parsed.roster, people);
  if (!resolved.ok) throw new Error(`unknown logins ${resolved.unknownLogins.join(", ")}`);
  return withTopicRepos(resolved.model, [
    { repo: CLI, topics: ["hacktoberfest", "cli"] },
    { repo: GENERATOR, topics: [] },
    { repo: WEBSITE, topics: ["hacktoberfest"] },
    { repo: SPEC, topics: ["specification"] },
  ]);
}

export function maintainerOf(repo: string): GhUser {
  return repo === CLI ? mira : repo === GENERATOR ? sam : tara;
}

export const OCTOBER: EventPrSpec[] = [
  // asyncapi/cli, answered by mira (and omar on #119, #120)
  { repo: CLI, number: 101, author: p(1), createdAt: "2026-10-02T10:00:00Z", fate: "merged", hours: 2 },
  { repo: CLI, number: 102, author: p(1), createdAt: "2026-10-05T10:00:00Z", fate: "merged", hours: 4 },
  { repo: CLI, number: 103, author: p(1), createdAt: "2026-10-08T10:00:00Z", fate: "label", hours: 6 },
  { repo: CLI, number: 104, author: p(1), createdAt: "2026-10-12T10:00:00Z", fate: "approved", hours: 8 },
  { repo: CLI, number: 105, author: p(2), createdAt: "2026-10-03T09:00:00Z", fate: "merged", hours: 1 },
  { repo: CLI, number: 106, author: p(2), createdAt: "2026-10-20T09:00:00Z", fate: "merged", hours: 3 },
  { repo: CLI, number: 107, author: p(2), createdAt: "2026-10-29T09:00:00Z", fate: "merged", hours: 5 },
  { repo: CLI, number: 108, author: p(3), createdAt: "2026-10-04T12:00:00Z", fate: "spam", hours: 1 },
  { repo: CLI, number: 109, author: p(3), createdAt: "2026-10-04T13:00:00Z", fate: "spam", hours: 2 },
  { repo: CLI, number: 110, author: p(3), createdAt: "2026-10-06T12:00:00Z", fate: "merged", hours: 2 },
  { repo: CLI, number: 111, author: p(4), createdAt: "2026-10-10T08:00:00Z", fate: "invalid", hours: 10 },
  { repo: CLI, number: 112, author: p(4), createdAt: "2026-10-11T08:00:00Z", fate: "invalid+accepted", hours: 12 },
  { repo: CLI, number: 113, author: p(5), createdAt: "2026-10-14T15:00:00Z", fate: "draft" },
  { repo: CLI, number: 114, author: p(5), createdAt: "2026-10-15T15:00:00Z", fate: "open" },
  // 23:30 on 31 October in UTC−10: still October somewhere on Earth.
  { repo: CLI, number: 115, author: p(6), createdAt: "2026-11-01T09:30:00Z", fate: "merged", hours: 1 },
  { repo: CLI, number: 116, author: p(7), createdAt: "2026-10-16T10:00:00Z", fate: "closed", hours: 24 },
  { repo: CLI, number: 117, author: p(8), createdAt: "2026-10-18T10:00:00Z", fate: "label", hours: 12 },
  { repo: CLI, number: 118, author: p(8), createdAt: "2026-10-19T10:00:00Z", fate: "merged", hours: 16 },
  { repo: CLI, number: 119, author: p(9), createdAt: "2026-10-21T10:00:00Z", fate: "merged", hours: 20, maintainer: omar },
  { repo: CLI, number: 120, author: p(9), createdAt: "2026-10-22T10:00:00Z", fate: "approved", hours: 30, maintainer: omar },
  // asyncapi/generator, answered by sam
  { repo: GENERATOR, number: 201, author: p(10), createdAt: "2026-10-02T10:00:00Z", fate: "changes", hours: 2 },
  { repo: GENERATOR, number: 202, author: p(10), createdAt: "2026-10-06T10:00:00Z", fate: "merged", hours: 6 },
  { repo: GENERATOR, number: 203, author: p(11), createdAt: "2026-10-03T10:00:00Z", fate: "merged", hours: 4 },
  { repo: GENERATOR, number: 204, author: p(11), createdAt: "2026-10-07T10:00:00Z", fate: "label", hours: 8 },
  { repo: GENERATOR, number: 205, author: p(11), createdAt: "2026-10-09T10:00:00Z", fate: "merged", hours: 10 },
  { repo: GENERATOR, number: 206, author: p(11), createdAt: "2026-10-13T10:00:00Z", fate: "merged", hours: 12 },
  { repo: GENERATOR, number: 207, author: p(12), createdAt: "2026-10-05T10:00:00Z", fate: "spam", hours: 3 },
  { repo: GENERATOR, number: 208, author: p(12), createdAt: "2026-10-06T10:00:00Z", fate: "open" },
  { repo: GENERATOR, number: 209, author: p(13), createdAt: "2026-10-08T10:00:00Z", fate: "ready-later", hours: 4 },
  { repo: GENERATOR, number: 210, author: p(14), createdAt: "2026-10-20T10:00:00Z", fate: "approved", hours: 14 },
  { repo: GENERATOR, number: 211, author: p(14), createdAt: "2026-10-26T10:00:00Z", fate: "merged", hours: 19 },
  { repo: GENERATOR, number: 212, author: p(15), createdAt: "2026-10-27T10:00:00Z", fate: "merged", hours: 21 },
  { repo: GENERATOR, number: 213, author: p(15), createdAt: "2026-10-28T10:00:00Z", fate: "closed", hours: 36 },
  { repo: GENERATOR, number: 214, author: p(16), createdAt: "2026-10-30T10:00:00Z", fate: "open" },
  // asyncapi/website: no project lists it, its topic brings it in; answered by tara
  { repo: WEBSITE, number: 301, author: p(17), createdAt: "2026-10-02T08:00:00Z", fate: "merged", hours: 2 },
  { repo: WEBSITE, number: 302, author: p(17), createdAt: "2026-10-09T08:00:00Z", fate: "merged", hours: 4 },
  { repo: WEBSITE, number: 303, author: p(17), createdAt: "2026-10-16T08:00:00Z", fate: "merged", hours: 6 },
  { repo: WEBSITE, number: 304, author: p(17), createdAt: "2026-10-23T08:00:00Z", fate: "merged", hours: 8 },
  { repo: WEBSITE, number: 305, author: p(18), createdAt: "2026-10-12T08:00:00Z", fate: "invalid", hours: 1 },
  { repo: WEBSITE, number: 306, author: p(18), createdAt: "2026-10-13T08:00:00Z", fate: "spam", hours: 2 },
  { repo: WEBSITE, number: 307, author: p(18), createdAt: "2026-10-14T08:00:00Z", fate: "spam", hours: 3 },
  { repo: WEBSITE, number: 308, author: p(19), createdAt: "2026-10-24T08:00:00Z", fate: "approved", hours: 5 },
  { repo: WEBSITE, number: 309, author: p(19), createdAt: "2026-10-25T08:00:00Z", fate: "label", hours: 7 },
  // 01:00 on 1 October in UTC+14: already October somewhere on Earth.
  { repo: WEBSITE, number: 310, author: p(20), createdAt: "2026-09-30T11:00:00Z", fate: "merged", hours: 3 },
  { repo: WEBSITE, number: 311, author: p(20), createdAt: "2026-10-31T20:00:00Z", fate: "open" },
  { repo: WEBSITE, number: 312, author: p(21), createdAt: "2026-10-15T08:00:00Z", fate: "draft" },
  // Not part of the event: September everywhere, November everywhere, no topic, a bot.
  { repo: CLI, number: 121, author: p(20), createdAt: "2026-09-30T09:00:00Z", fate: "merged", hours: 1 },
  { repo: CLI, number: 122, author: p(6), createdAt: "2026-11-01T12:30:00Z", fate: "merged", hours: 1 },
  { repo: GENERATOR, number: 215, author: p(16), createdAt: "2026-11-02T10:00:00Z", fate: "merged", hours: 1 },
  { repo: SPEC, number: 401, author: p(2), createdAt: "2026-10-10T10:00:00Z", fate: "merged", hours: 1, maintainer: sam },
  { repo: CLI, number: 123, author: ghBot("dependabot"), createdAt: "2026-10-10T10:00:00Z", fate: "merged", hours: 1 },
  // The mentee's PR in the website counts for both programs; the mentorship's request is tara's too.
  { repo: WEBSITE, number: 313, author: kai, createdAt: "2026-10-20T08:00:00Z", fate: "merged", hours: 9 },
];
