/**
 * Attribution on the shapes real rosters have (test/fixtures/rosters/asyncapi-alumni.yml): people who
 * were mentees and later mentors, documentation projects without repositories, a machine user that is
 * a plain User, tracking issues the app opened. Stories use the roster's fictional stand-ins.
 */
import { describe, expect, it } from "@jest/globals";
import { parseRoster, summarizeRoster } from "../../src/config/roster.js";
import { menteeEnrolments } from "../../src/domain/enrolments.js";
import type { InstallationModel } from "../../src/domain/program.js";
import { deriveRequests, sortEvents, type MenteeEnrolment } from "../../src/domain/requests.js";
import { computeStats } from "../../src/domain/stats.js";
import { deriveTask } from "../../src/domain/tasks.js";
import type { Actor, DerivedRequest } from "../../src/domain/types.js";
import { alumniModel, alumniRosterText, alumnus, realAlumniModel } from "../helpers/alumni-roster.js";
import { addSeconds, enrolment, instant, MENTEE, MENTOR, MENTOR2, STRANGER, story } from "../helpers/events.js";

const H = 3600;
const actor = (login: string): Actor => ({ id: alumnus(login).id, login, isBot: false });
const alumnaMentor = actor("alumna-mentor"); // mentee of mentorship-2023/cli-v1, mentor of amp-2026/cli
const alumnusMentor = actor("alumnus-mentor"); // mentee of mentorship-2024/cli-dx, mentor of amp-2026/cli
const cliMentee = actor("cli-mentee");
const generatorMentor = actor("generator-mentor");
const docsWriter = actor("docs-writer-a"); // mentorship-2023/protocols-docs, no repos
const docsMentor = actor("docs-mentor");
const machine = actor("org-machine"); // the roster's ignore: list

const model = alumniModel();
const enrolments = menteeEnrolments(model);
const summary = (rs: DerivedRequest[]) =>
  rs.map((r) => ({
    project: `${r.programId}/${r.projectId}`,
    mentee: r.menteeLogin,
    kind: r.kind,
    by: r.response?.responderLogin ?? null,
    latency: r.response?.latencySeconds ?? null,
    closedUnansweredAt: r.closedUnansweredAt ?? null,
  }));

describe("the alumni roster loads", () => {
  it("one id for a mentee of 2023 who mentors in 2026; a docs project without repos; the ignored machine user", () => {
    const real = realAlumniModel();
    const where = (login: string) =>
      real.programs.flatMap((p) =>
        p.projects.flatMap((j) => [
          ...j.mentees.filter((m) => m.login === login).map((m) => `${p.id}/${j.id} mentee ${m.id}`),
          ...j.mentors.filter((m) => m.login === login).map((m) => `${p.id}/${j.id} mentor ${m.id}`),
        ]),
      );
    const id = where("Shurtu-gal")[0]!.split(" ").at(-1);
    expect(where("Shurtu-gal")).toEqual([`mentorship-2023/cli-v1 mentee ${id}`, `amp-2026/cli mentor ${id}`]);
    expect(real.programs[0]!.projects[1]).toMatchObject({ id: "protocols-docs", repos: [] });
    expect(real.ignored.map((p) => p.login)).toEqual(["asyncapi-bot"]);
    // The machine user is no person of the programs.
    const parsed = parseRoster(alumniRosterText());
    expect(parsed.ok && summarizeRoster(parsed.roster)).toBe("3 programs, 6 projects, 17 people (7 mentors, 11 mentees), 1 ignored account");
  });

  it("an ignored account cannot also be a person of a program", () => {
    const result = parseRoster(
      "ignore: [asyncapi-bot]\nadmins: [Asyncapi-Bot]\nprograms:\n  - id: p\n    name: P\n    starts: 2026-01-01\n    ends: 2026-02-01\n" +
        "    projects:\n      - id: docs\n        title: Docs\n        mentors: [asyncapi-bot]\n        mentees: [someone]\n",
    );
    expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'admins[0]: "Asyncapi-Bot" is in ignore[0] and cannot also be an admin',
      'programs[0].projects[0].mentors[0]: "asyncapi-bot" is in ignore[0] and cannot also be a mentor',
    ]);
  });
});

describe("a task belongs to the program whose window contains it (item 2)", () => {
  const task = (events: (s: ReturnType<typeof story>) => void, m: InstallationModel = model, repo = "asyncapi/cli") => {
    const s = story({ repo, number: 300, threadKind: "issue", author: alumnaMentor });
    events(s);
    return deriveTask(sortEvents(s.events), m, []);
  };
  const placed = (t: ReturnType<typeof deriveTask>) => t && { program: t.programId, project: t.projectId, mentee: t.mentee?.login ?? null };

  it("a 2023 mentee who mentors in 2026 opens and labels a task in 2026: AMP 2026, no mentee yet", () => {
    const t = task((s) =>
      s
        .add("issue_opened", "2026-07-01 09:00", alumnaMentor, { labels: [] })
        .add("issue_labeled", "2026-07-01 09:05", alumnaMentor, { label: "mentorship", labels: ["mentorship"] }),
    );
    expect(placed(t)).toEqual({ program: "amp-2026", project: "cli", mentee: null });
  });

  it("the first assignee who is a mentee of a running program, in assignment order", () => {
    const assign = (s: ReturnType<typeof story>, who: Actor, at: string) =>
      s.add("issue_assigned", at, alumnaMentor, { assignee: { id: who.id, login: who.login }, labels: ["mentorship"] });
    const t = task((s) => {
      s.add("issue_opened", "2026-07-01 09:00", alumnaMentor, { labels: ["mentorship"] });
      assign(s, alumnaMentor, "2026-07-01 09:10"); // a mentee, but of mentorship-2023
      assign(s, cliMentee, "2026-07-01 09:20");
    });
    expect(placed(t)).toEqual({ program: "amp-2026", project: "cli", mentee: "cli-mentee" });
  });

  it("a task prepared before its program starts waits for that program; one after every program is none", () => {
    const labelledAt = (at: string) =>
      task((s) => s.add("issue_opened", at, alumnaMentor, { labels: ["mentorship"] }));
    expect(placed(labelledAt("2026-06-01 09:00"))).toEqual({ program: "amp-2026", project: "cli", mentee: null });
    expect(placed(labelledAt("2025-08-01 09:00"))).toEqual({ program: "amp-2026", project: "cli", mentee: null });
    // In 2023 its author was a mentee of the running program: then it was her task.
    expect(placed(labelledAt("2023-03-01 09:00"))).toEqual({ program: "mentorship-2023", project: "cli-v1", mentee: "alumna-mentor" });
    expect(labelledAt("2027-01-04 09:00")).toBeNull();
  });

  it("a task anywhere assigned to the writer of a project without repos is that project's", () => {
    const t = task(
      (s) =>
        s
          .add("issue_opened", "2023-03-01 09:00", docsMentor, { labels: ["mentorship"] })
          .add("issue_assigned", "2023-03-01 10:00", docsMentor, { assignee: { id: docsWriter.id, login: docsWriter.login }, labels: ["mentorship"] }),
      model,
      "asyncapi/website",
    );
    expect(placed(t)).toEqual({ program: "mentorship-2023", project: "protocols-docs", mentee: "docs-writer-a" });
  });
});

describe("requests on real roster shapes", () => {
  it("a comment on another project's task is not charged to the commenter's own project (item 3)", () => {
    // MENTOR2 mentors cli and is, in the same program, a mentee of generator.
    const asMentee: MenteeEnrolment = enrolment({
      projectId: "generator",
      menteeId: MENTOR2.id,
      menteeLogin: MENTOR2.login,
      projectRepos: ["asyncapi/generator"],
      trackingIssue: null,
      mentorIds: [STRANGER.id],
      mentorLogins: [STRANGER.login.toLowerCase()],
    });
    const cliTask = { programId: "amp-2026", projectId: "cli" };
    const answer = story({ threadKind: "issue", number: 7, author: STRANGER }).comment("2026-06-16 09:00", MENTEE).comment("2026-06-16 10:00", MENTOR2);
    expect(summary(deriveRequests(answer.events, answer.context([enrolment(), asMentee], cliTask)))).toEqual([
      { project: "amp-2026/cli", mentee: MENTEE.login, kind: "comment", by: MENTOR2.login, latency: H, closedUnansweredAt: null },
    ]);
    // Both projects list the repo: the task is still cli's, not generator's.
    const shared = { ...asMentee, projectRepos: ["asyncapi/generator", "asyncapi/cli"] };
    expect(deriveRequests(answer.events, answer.context([enrolment(), shared], cliTask)).filter((r) => r.projectId === "generator")).toEqual([]);
    // Their own project's task still counts.
    expect(summary(deriveRequests(answer.events, answer.context([shared], { programId: "amp-2026", projectId: "generator" })))).toEqual([
      { project: "amp-2026/generator", mentee: MENTOR2.login, kind: "comment", by: null, latency: null, closedUnansweredAt: null },
    ]);
  });

  it("the ignored machine user never answers, even under responders: anyone (item 5)", () => {
    const s = story({ threadKind: "issue", number: 8, author: cliMentee })
      .issueOpened("2026-06-16 09:00")
      .comment("2026-06-16 09:00:19", machine)
      .comment("2026-06-16 13:00", STRANGER);
    expect(model.responders).toBe("anyone");
    expect(summary(deriveRequests(s.events, s.context(enrolments)))).toEqual([
      { project: "amp-2026/cli", mentee: "cli-mentee", kind: "issue_opened", by: STRANGER.login, latency: 4 * H, closedUnansweredAt: null },
    ]);
  });

  it("closing your own request withdraws it only before the SLA has passed (item 6)", () => {
    const closedAfter = (seconds: number) => {
      const s = story({ threadKind: "issue", number: 9, author: cliMentee })
        .issueOpened("2026-06-16 09:00")
        .closed(addSeconds("2026-06-16 09:00", seconds), cliMentee)
        .comment(addSeconds("2026-06-16 09:00", seconds + H), alumnusMentor);
      return deriveRequests(s.events, s.context(enrolments));
    };
    expect(closedAfter(48 * H)).toEqual([]);
    const late = closedAfter(48 * H + 1);
    expect(summary(late)).toEqual([
      { project: "amp-2026/cli", mentee: "cli-mentee", kind: "issue_opened", by: null, latency: null, closedUnansweredAt: addSeconds("2026-06-16 09:00", 48 * H + 1) },
    ]);
    expect(computeStats(late, instant("2026-07-01 00:00"), 48 * H)).toMatchObject({
      requests: 1,
      answered: 0,
      waiting: 0,
      overdue: 0,
      closedUnanswered: 1,
      withinSla: 0,
    });
  });

  it("the SLA for withdrawal runs on the program's clock", () => {
    const office: MenteeEnrolment[] = enrolments.map((en) => ({
      ...en,
      clock: { timezone: "UTC", businessHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" } },
    }));
    // Friday 09:00 to Tuesday 16:00 is 56 calendar hours but 31 working hours: still inside a 48h SLA.
    const s = story({ threadKind: "issue", number: 10, author: cliMentee }).issueOpened("2026-06-19 09:00").closed("2026-06-23 16:00", cliMentee);
    expect(deriveRequests(s.events, s.context(office))).toEqual([]);
  });

  it("a project without repos: the writer's own threads anywhere count, others' threads do not (item 10)", () => {
    const own = story({ repo: "asyncapi/website", threadKind: "issue", number: 11, author: docsWriter })
      .issueOpened("2023-03-01 09:00")
      .comment("2023-03-01 12:00", docsMentor);
    expect(summary(deriveRequests(own.events, own.context(enrolments)))).toEqual([
      { project: "mentorship-2023/protocols-docs", mentee: "docs-writer-a", kind: "issue_opened", by: "docs-mentor", latency: 3 * H, closedUnansweredAt: null },
    ]);
    const pr = story({ repo: "asyncapi/spec", threadKind: "pr", number: 12, author: docsWriter }).prOpened("2023-03-02 09:00").review("2023-03-02 10:00", docsMentor);
    expect(summary(deriveRequests(pr.events, pr.context(enrolments)))).toMatchObject([{ kind: "ready_for_review", by: "docs-mentor" }]);
    const others = story({ repo: "asyncapi/website", threadKind: "issue", number: 13, author: STRANGER })
      .issueOpened("2023-03-01 09:00")
      .comment("2023-03-01 10:00", docsWriter);
    expect(deriveRequests(others.events, others.context(enrolments))).toEqual([]);
    // Outside the program's dates nothing counts.
    const later = story({ repo: "asyncapi/website", threadKind: "issue", number: 14, author: docsWriter }).issueOpened("2024-03-01 09:00");
    expect(deriveRequests(later.events, later.context(enrolments))).toEqual([]);
  });

  it("a comment that @mentions one of M's mentors is a request anywhere, on anyone's issue (item 11)", () => {
    const ask = (mentions: string[] | undefined) => {
      const s = story({ repo: "asyncapi/spec", threadKind: "issue", number: 15, author: alumnusMentor })
        .issueOpened("2026-06-20 08:00")
        .add("comment_created", "2026-06-20 09:00", cliMentee, mentions ? { mentions } : {})
        .comment("2026-06-20 11:00", alumnusMentor);
      return summary(deriveRequests(s.events, s.context(enrolments)));
    };
    expect(ask(["alumnus-mentor"])).toEqual([
      { project: "amp-2026/cli", mentee: "cli-mentee", kind: "comment", by: "alumnus-mentor", latency: 2 * H, closedUnansweredAt: null },
    ]);
    expect(ask(undefined)).toEqual([]);
    expect(ask(["generator-mentor"])).toEqual([]);
    expect(generatorMentor.login).toBe("generator-mentor");
  });

  it("a mention charges the project of the mentor asked, not the repo's project", () => {
    // MENTEE is in cli (asyncapi/cli) and docs (no repos, mentor STRANGER); on a cli issue they ask docs' mentor.
    const docs = enrolment({ projectId: "docs", projectRepos: [], trackingIssue: null, mentorIds: [STRANGER.id], mentorLogins: [STRANGER.login] });
    const s = story({ threadKind: "issue", number: 16, author: MENTOR })
      .issueOpened("2026-06-20 08:00")
      .add("comment_created", "2026-06-20 09:00", MENTEE, { mentions: [STRANGER.login] })
      .comment("2026-06-20 10:00", MENTOR)
      .comment("2026-06-20 12:00", STRANGER);
    expect(summary(deriveRequests(s.events, s.context([enrolment(), docs])))).toEqual([
      { project: "amp-2026/docs", mentee: MENTEE.login, kind: "comment", by: STRANGER.login, latency: 3 * H, closedUnansweredAt: null },
    ]);
  });

  it("a comment on the tracking issue the app opened is a request like one on the roster's (item 1)", () => {
    const s = story({ repo: "asyncapi/community", threadKind: "issue", number: 77, author: STRANGER })
      .comment("2026-06-20 09:00", cliMentee)
      .comment("2026-06-20 10:00", alumnaMentor);
    const opened = [{ programId: "amp-2026", projectId: "cli", repo: "asyncapi/community", number: 77 }];
    expect(deriveRequests(s.events, s.context(enrolments))).toEqual([]);
    expect(summary(deriveRequests(s.events, s.context(menteeEnrolments(model, opened))))).toEqual([
      { project: "amp-2026/cli", mentee: "cli-mentee", kind: "comment", by: "alumna-mentor", latency: H, closedUnansweredAt: null },
    ]);
    // The roster's own trackingIssue wins over the remembered one, as for the progress comment.
    const named: InstallationModel = structuredClone(model);
    named.programs[2]!.projects[0]!.trackingIssue = { repo: "asyncapi/community", number: 2001 };
    expect(menteeEnrolments(named, opened).find((e) => e.projectId === "cli")?.trackingIssue).toEqual({ repo: "asyncapi/community", number: 2001 });
  });
});
