import { describe, expect, it } from "@jest/globals";
import type { Clock } from "../../src/domain/business-time.js";
import { deriveRequests, sortEvents, type ThreadContext } from "../../src/domain/requests.js";
import { computeStats } from "../../src/domain/stats.js";
import type { DerivedRequest, RequestKind, ResponseKind, ThreadEvent } from "../../src/domain/types.js";
import {
  ADMIN,
  BOT,
  MENTEE,
  MENTEE2,
  MENTOR,
  MENTOR2,
  STRANGER,
  enrolment,
  instant,
  permutations,
  seededRandom,
  shuffled,
  story,
  type Story,
} from "../helpers/events.js";

interface Summary {
  kind: RequestKind;
  openedAt: string;
  latency: number | null;
  via: ResponseKind | null;
  by: string | null;
  project: string;
  mentee: string;
}

const summarise = (rs: DerivedRequest[]): Summary[] =>
  rs.map((r) => ({
    kind: r.kind,
    openedAt: r.openedAt,
    latency: r.response?.latencySeconds ?? null,
    via: r.response?.kind ?? null,
    by: r.response?.responderLogin ?? null,
    project: r.projectId,
    mentee: r.menteeLogin,
  }));

type Extra = Partial<Pick<Summary, "project" | "mentee">>;
const answered = (
  kind: RequestKind,
  at: string,
  latency: number,
  via: ResponseKind,
  by: string = MENTOR.login,
  extra: Extra = {},
): Summary => ({ kind, openedAt: instant(at), latency, via, by, project: "cli", mentee: MENTEE.login, ...extra });
const waiting = (kind: RequestKind, at: string, extra: Extra = {}): Summary => ({
  kind,
  openedAt: instant(at),
  latency: null,
  via: null,
  by: null,
  project: "cli",
  mentee: MENTEE.login,
  ...extra,
});

interface Case {
  name: string;
  events: ThreadEvent[];
  ctx: ThreadContext;
  expected: Summary[];
}
const c = (name: string, s: Story, expected: Summary[], ctx: ThreadContext = s.context()): Case => ({
  name,
  events: s.events,
  ctx,
  expected,
});

const H = 3600;
const taskIssue = () => story({ threadKind: "issue", number: 7, author: STRANGER });
const mentee2 = enrolment({ menteeId: MENTEE2.id, menteeLogin: MENTEE2.login });
const officeUtc: Clock = { timezone: "UTC", businessHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" } };

const cases: Case[] = [
  // Rule 1
  c(
    "rule 1: a non-draft PR opened, a mentor comments 2 h later",
    story().prOpened("2026-06-16 09:00").comment("2026-06-16 11:00", MENTOR),
    [answered("ready_for_review", "2026-06-16 09:00", 2 * H, "comment")],
  ),
  c(
    "rule 1: a draft PR opens nothing (comments and pushes included) until it is marked ready",
    story()
      .prOpened("2026-06-16 09:00", { draft: true })
      .comment("2026-06-16 10:00", MENTOR)
      .push("2026-06-16 11:00", MENTEE, true)
      .ready("2026-06-17 09:00")
      .review("2026-06-17 12:30", MENTOR, "approved"),
    [answered("ready_for_review", "2026-06-17 09:00", 3.5 * H, "review")],
  ),
  c(
    "rule 1: a reopened non-draft PR is a new request",
    story()
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 09:30", MENTOR)
      .closed("2026-06-17 09:00", MENTEE)
      .prReopened("2026-06-18 09:00")
      .comment("2026-06-18 09:05", MENTOR2),
    [
      answered("ready_for_review", "2026-06-16 09:00", 1800, "comment"),
      answered("ready_for_review", "2026-06-18 09:00", 300, "comment", MENTOR2.login),
    ],
  ),
  // Rule 2
  c(
    "rule 2: a review requested on their own PR, answered by a review comment",
    story()
      .prOpened("2026-06-16 09:00")
      .review("2026-06-16 10:00", MENTOR, "commented")
      .reviewRequested("2026-06-18 09:00", MENTOR2)
      .reviewComment("2026-06-18 09:20", MENTOR2),
    [
      answered("ready_for_review", "2026-06-16 09:00", H, "review"),
      answered("review_requested", "2026-06-18 09:00", 1200, "review_comment", MENTOR2.login),
    ],
  ),
  c(
    "rule 2: a review request on someone else's PR is no request",
    story({ author: STRANGER }).prOpened("2026-06-16 09:00").reviewRequested("2026-06-16 10:00", MENTOR, MENTEE),
    [],
  ),
  // Rule 3
  c(
    "rule 3: a push after changes requested re-requests, once per review",
    story()
      .prOpened("2026-06-16 09:00")
      .review("2026-06-16 11:00", MENTOR, "changes_requested")
      .push("2026-06-17 08:00")
      .push("2026-06-17 08:30")
      .review("2026-06-17 09:00", MENTOR, "approved")
      .push("2026-06-17 10:00"),
    [
      answered("ready_for_review", "2026-06-16 09:00", 2 * H, "review"),
      answered("push_after_changes", "2026-06-17 08:00", H, "review"),
    ],
  ),
  c(
    "rule 3: pushes without a changes-requested review open nothing",
    story()
      .prOpened("2026-06-16 09:00")
      .review("2026-06-16 10:00", MENTOR, "commented")
      .push("2026-06-16 12:00")
      .push("2026-06-17 12:00"),
    [answered("ready_for_review", "2026-06-16 09:00", H, "review")],
  ),
  c(
    "rule 3: changes requested by a non-responder arm nothing",
    story()
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 10:00", MENTOR)
      .review("2026-06-16 11:00", STRANGER, "changes_requested")
      .push("2026-06-16 12:00"),
    [answered("ready_for_review", "2026-06-16 09:00", H, "comment")],
  ),
  c(
    "rule 3: a push to a draft uses the review up; marking ready is the request",
    story()
      .prOpened("2026-06-16 09:00")
      .review("2026-06-16 10:00", MENTOR, "changes_requested")
      .toDraft("2026-06-16 11:00")
      .push("2026-06-16 12:00", MENTEE, true)
      .ready("2026-06-17 09:00")
      .comment("2026-06-17 10:00", MENTOR)
      .push("2026-06-17 11:00"),
    [
      answered("ready_for_review", "2026-06-16 09:00", H, "review"),
      answered("ready_for_review", "2026-06-17 09:00", H, "comment"),
    ],
  ),
  // Rule 4
  c(
    "rule 4: a comment on a task issue someone else opened",
    taskIssue().issueOpened("2026-06-15 08:00").comment("2026-06-16 09:00", MENTEE).comment("2026-06-16 09:45", MENTOR),
    [answered("comment", "2026-06-16 09:00", 2700, "comment")],
    taskIssue().context([enrolment()], true),
  ),
  c(
    "rule 4: a comment on a non-task issue someone else opened is no request",
    taskIssue().issueOpened("2026-06-15 08:00").comment("2026-06-16 09:00", MENTEE).comment("2026-06-16 09:45", MENTOR),
    [],
  ),
  c(
    "rule 4: a comment on the project's tracking issue (a Saturday: calendar clock counts it)",
    story({ repo: "asyncapi/community", number: 2001, threadKind: "issue", author: ADMIN })
      .comment("2026-06-20 10:00", MENTEE)
      .comment("2026-06-20 11:00", MENTOR),
    [answered("comment", "2026-06-20 10:00", H, "comment")],
  ),
  c(
    "rule 4: a review comment on their own PR after the first request was answered",
    story()
      .prOpened("2026-06-16 09:00")
      .review("2026-06-16 10:00", MENTOR, "changes_requested")
      .reviewComment("2026-06-16 10:30", MENTEE)
      .reviewComment("2026-06-16 11:00", MENTOR),
    [
      answered("ready_for_review", "2026-06-16 09:00", H, "review"),
      answered("comment", "2026-06-16 10:30", 1800, "review_comment"),
    ],
  ),
  // Rule 5
  c(
    "rule 5: an issue opened in a project repo, closed by a mentor",
    story({ threadKind: "issue", number: 8 }).issueOpened("2026-06-16 09:00").closed("2026-06-16 09:10", MENTOR),
    [answered("issue_opened", "2026-06-16 09:00", 600, "close")],
  ),
  c(
    "rule 5: an issue in a repo outside the project opens nothing, nor do comments on it",
    story({ repo: "asyncapi/spec", threadKind: "issue" })
      .issueOpened("2026-06-16 09:00")
      .comment("2026-06-16 09:30", MENTEE)
      .comment("2026-06-16 10:00", MENTOR),
    [],
  ),
  // Responders
  c(
    "the mentee answering themself answers nothing",
    story()
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 10:00", MENTEE)
      .push("2026-06-16 11:00")
      .review("2026-06-16 12:00", MENTEE, "commented"),
    [waiting("ready_for_review", "2026-06-16 09:00")],
  ),
  c(
    "a bot answers nothing",
    story()
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 09:01", BOT)
      .review("2026-06-16 09:02", BOT, "approved")
      .comment("2026-06-17 09:00", MENTOR),
    [answered("ready_for_review", "2026-06-16 09:00", 86400, "comment")],
  ),
  c(
    "a non-mentor answers nothing under the mentors policy",
    story().prOpened("2026-06-16 09:00").comment("2026-06-16 09:30", STRANGER),
    [waiting("ready_for_review", "2026-06-16 09:00")],
  ),
  c(
    "a non-mentor answers under the anyone policy",
    story().prOpened("2026-06-16 09:00").comment("2026-06-16 09:30", STRANGER),
    [answered("ready_for_review", "2026-06-16 09:00", 1800, "comment", STRANGER.login)],
    story().context([enrolment({ responders: "anyone" })]),
  ),
  c(
    "an admin answers under the admins policy",
    story().prOpened("2026-06-16 09:00").review("2026-06-16 10:00", ADMIN, "approved"),
    [answered("ready_for_review", "2026-06-16 09:00", H, "review", ADMIN.login)],
    story().context([enrolment({ responders: "admins" })]),
  ),
  c(
    "an admin answers nothing under the mentors policy; the mentor's later comment does",
    story().prOpened("2026-06-16 09:00").review("2026-06-16 10:00", ADMIN, "approved").comment("2026-06-16 12:00", MENTOR),
    [answered("ready_for_review", "2026-06-16 09:00", 3 * H, "comment")],
  ),
  // Open-request folding and answers
  c(
    "two mentee comments before an answer are one request; the next comment opens another",
    taskIssue()
      .comment("2026-06-16 09:00", MENTEE)
      .comment("2026-06-16 09:30", MENTEE)
      .comment("2026-06-16 10:00", MENTOR)
      .comment("2026-06-16 11:00", MENTEE),
    [answered("comment", "2026-06-16 09:00", H, "comment"), waiting("comment", "2026-06-16 11:00")],
    taskIssue().context([enrolment()], true),
  ),
  c(
    "a merge answers (merge and its close at the same instant: the merge)",
    story().prOpened("2026-06-16 09:00").merged("2026-06-16 12:00", MENTOR).closed("2026-06-16 12:00", MENTOR),
    [answered("ready_for_review", "2026-06-16 09:00", 3 * H, "merge")],
  ),
  c(
    "a response at the same instant answers when it sorts after the request",
    story().prOpened("2026-06-16 09:00").review("2026-06-16 09:00", MENTOR, "approved"),
    [answered("ready_for_review", "2026-06-16 09:00", 0, "review")],
  ),
  c(
    "a comment at the same instant that sorts before the request does not answer it",
    taskIssue()
      .add("comment_created", "2026-06-16 09:00", MENTOR, {}, "comment_created:a")
      .add("comment_created", "2026-06-16 09:00", MENTEE, {}, "comment_created:b"),
    [waiting("comment", "2026-06-16 09:00")],
    taskIssue().context([enrolment()], true),
  ),
  // Clocks
  c(
    "a weekend does not count under business hours (Fri 16:00 → Mon 10:00 = 2 h)",
    story().prOpened("2026-06-19 16:00").comment("2026-06-22 10:00", MENTOR),
    [answered("ready_for_review", "2026-06-19 16:00", 2 * H, "comment")],
    story().context([enrolment({ clock: officeUtc })]),
  ),
  c(
    "a DST jump under business hours (Europe/Warsaw: Fri 16:00 CET → Mon 10:00 CEST = 2 h)",
    story().prOpened("2026-03-27T15:00:00Z").comment("2026-03-30T08:00:00Z", MENTOR),
    [answered("ready_for_review", "2026-03-27T15:00:00Z", 2 * H, "comment")],
    story().context([
      enrolment({
        window: { from: "2026-03-01T00:00:00Z", to: "2026-05-01T00:00:00Z" },
        clock: { timezone: "Europe/Warsaw", businessHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" } },
      }),
    ]),
  ),
  // Program window
  c(
    "events outside the program window open nothing (from inclusive, to exclusive)",
    story()
      .prOpened("2026-06-14 23:59:59")
      .comment("2026-06-15 00:00", MENTEE)
      .comment("2026-06-15 02:00", MENTOR)
      .comment("2026-10-18 00:00", MENTEE),
    [answered("comment", "2026-06-15 00:00", 2 * H, "comment")],
  ),
  c(
    "a request made inside the window is answered after it ends",
    story().prOpened("2026-10-17 20:00").comment("2026-10-19 08:00", MENTOR),
    [answered("ready_for_review", "2026-10-17 20:00", 36 * H, "comment")],
  ),
  // Closing
  c(
    "closing their own issue withdraws the mentee's waiting request",
    story({ threadKind: "issue", number: 8 })
      .issueOpened("2026-06-16 09:00")
      .closed("2026-06-16 09:10", MENTEE)
      .comment("2026-06-16 10:00", MENTOR),
    [],
  ),
  c(
    "merging their own PR withdraws the waiting request; a later comment is a new one",
    story()
      .prOpened("2026-06-16 09:00")
      .merged("2026-06-16 09:30", MENTEE)
      .comment("2026-06-16 10:00", MENTEE)
      .comment("2026-06-16 10:20", MENTOR2),
    [answered("comment", "2026-06-16 10:00", 1200, "comment", MENTOR2.login)],
  ),
  c(
    "a close by a non-responder leaves the request waiting for a responder",
    story({ threadKind: "issue", number: 8 })
      .issueOpened("2026-06-16 09:00")
      .closed("2026-06-16 09:10", STRANGER)
      .comment("2026-06-17 09:00", MENTOR),
    [answered("issue_opened", "2026-06-16 09:00", 86400, "comment")],
  ),
  c(
    "converting to draft does not withdraw a waiting request",
    story().prOpened("2026-06-16 09:00").toDraft("2026-06-16 10:00").comment("2026-06-16 12:00", MENTOR),
    [answered("ready_for_review", "2026-06-16 09:00", 3 * H, "comment")],
  ),
  // Several mentees, several enrolments
  c(
    "two mentees on one task issue each get their own request",
    taskIssue().comment("2026-06-16 09:00", MENTEE).comment("2026-06-16 09:30", MENTEE2).comment("2026-06-16 10:00", MENTOR),
    [
      answered("comment", "2026-06-16 09:00", H, "comment"),
      answered("comment", "2026-06-16 09:30", 1800, "comment", MENTOR.login, { mentee: MENTEE2.login }),
    ],
    taskIssue().context([enrolment(), mentee2], true),
  ),
  c(
    "under anyone, another mentee's comment answers (but never their own request)",
    taskIssue().comment("2026-06-16 09:00", MENTEE).comment("2026-06-16 09:30", MENTEE2).comment("2026-06-16 10:00", MENTOR),
    [
      answered("comment", "2026-06-16 09:00", 1800, "comment", MENTEE2.login),
      answered("comment", "2026-06-16 09:30", 1800, "comment", MENTOR.login, { mentee: MENTEE2.login }),
    ],
    taskIssue().context([enrolment({ responders: "anyone" }), { ...mentee2, responders: "anyone" }], true),
  ),
  c(
    "a mentee in two projects: the project whose repos hold the thread, with its mentors",
    story({ repo: "asyncapi/spec" })
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 10:00", MENTOR)
      .comment("2026-06-16 11:00", MENTOR2),
    [answered("ready_for_review", "2026-06-16 09:00", 2 * H, "comment", MENTOR2.login, { project: "spec" })],
    story({ repo: "asyncapi/spec" }).context([
      enrolment(),
      enrolment({ projectId: "spec", projectRepos: ["asyncapi/spec"], trackingIssue: null, mentorIds: [MENTOR2.id] }),
    ]),
  ),
  c(
    "their own PR outside the project's repos opens nothing",
    story({ repo: "asyncapi/generator" }).prOpened("2026-06-16 09:00").comment("2026-06-16 10:00", MENTOR),
    [],
  ),
  // More events in the same second: the kind decides, whatever order they were delivered in
  c(
    "a review and its own inline comment in the same second: the answer is the review",
    story().prOpened("2026-06-16 09:00").reviewComment("2026-06-16 10:00", MENTOR).review("2026-06-16 10:00", MENTOR, "commented"),
    [answered("ready_for_review", "2026-06-16 09:00", H, "review")],
  ),
  c(
    "a draft made ready and a mentor's comment in the same second: the comment answers the ready PR",
    story()
      .prOpened("2026-06-16 09:00", { draft: true })
      .comment("2026-06-17 09:00", MENTOR)
      .ready("2026-06-17 09:00")
      .comment("2026-06-17 10:00", MENTOR2),
    [answered("ready_for_review", "2026-06-17 09:00", 0, "comment")],
  ),
  // Log hygiene
  c(
    "the same event twice (webhook and backfill copies) counts once",
    story()
      .add("pr_opened", "2026-06-16 09:00", MENTEE, { draft: false }, "pr_opened:PR_1")
      .add("pr_opened", "2026-06-16 09:00", MENTEE, { draft: false }, "pr_opened:PR_1")
      .add("comment_created", "2026-06-16 09:10", MENTOR, {}, "comment_created:IC_1")
      .add("comment_created", "2026-06-16 09:10", MENTOR, {}, "comment_created:IC_1"),
    [answered("ready_for_review", "2026-06-16 09:00", 600, "comment")],
  ),
  c(
    "copies that disagree on the time count once, at the earlier time",
    story()
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 09:30", MENTOR)
      .add("comment_created", "2026-06-16 10:00", MENTEE, {}, "comment_created:IC_2")
      .comment("2026-06-16 10:30", MENTOR)
      .add("comment_created", "2026-06-16 11:00", MENTEE, {}, "comment_created:IC_2"),
    [answered("ready_for_review", "2026-06-16 09:00", 1800, "comment"), answered("comment", "2026-06-16 10:00", 1800, "comment")],
  ),
  c(
    "other kinds by the mentee are ignored",
    story()
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 10:00", MENTOR)
      .labeled("2026-06-16 11:00", MENTEE, "enhancement")
      .add("pr_assigned", "2026-06-16 11:01", MENTEE, { assignee: { id: MENTEE.id, login: MENTEE.login } })
      .add("review_dismissed", "2026-06-16 11:02", MENTEE)
      .add("comment_edited", "2026-06-16 11:03", MENTEE),
    [answered("ready_for_review", "2026-06-16 09:00", H, "comment")],
  ),
];

describe("deriveRequests: hand-computed stories", () => {
  it.each(cases.map((k) => [k.name, k] as const))("%s", (_name, k) => {
    expect(summarise(deriveRequests(k.events, k.ctx))).toEqual(k.expected);
  });

  it("fills in the thread and the opening event", () => {
    const s = story({ number: 9 }).add("pr_opened", "2026-06-16 09:00", MENTEE, { draft: false }, "pr_opened:PR_9");
    expect(deriveRequests(s.events, s.context())).toEqual([
      {
        programId: "amp-2026",
        projectId: "cli",
        menteeId: MENTEE.id,
        menteeLogin: MENTEE.login,
        repo: "asyncapi/cli",
        number: 9,
        threadKind: "pr",
        kind: "ready_for_review",
        openedAt: "2026-06-16T09:00:00Z",
        openedBy: "pr_opened:PR_9",
        response: null,
        firstMentorResponse: null,
      },
    ]);
  });

  it("a request still waiting past the SLA is overdue", () => {
    const s = story().prOpened("2026-06-16 09:00").comment("2026-06-16 10:00", STRANGER);
    const rs = deriveRequests(s.events, s.context());
    expect(summarise(rs)).toEqual([waiting("ready_for_review", "2026-06-16 09:00")]);
    // SLA 48 h: exactly 48 h old is not yet overdue, one second more is.
    expect(computeStats(rs, "2026-06-18T09:00:00Z", 48 * H)).toMatchObject({ waiting: 1, overdue: 0, withinSla: null });
    expect(computeStats(rs, "2026-06-18T09:00:01Z", 48 * H)).toMatchObject({ waiting: 1, overdue: 1, withinSla: 0 });
  });

  it("does not modify its input", () => {
    const s = story().prOpened("2026-06-16 09:00").comment("2026-06-16 11:00", MENTOR);
    const events = [...s.events].reverse();
    const before = JSON.stringify(events);
    deriveRequests(events, s.context());
    expect(JSON.stringify(events)).toBe(before);
  });
});

describe("sortEvents", () => {
  it("orders by time, then kind, then dedupeKey, without touching the input", () => {
    const s = story()
      .add("comment_created", "2026-06-16 09:00", MENTOR, {}, "comment_created:b")
      .add("review_submitted", "2026-06-16 09:00", MENTOR, { reviewState: "approved" }, "review_submitted:a")
      .add("comment_created", "2026-06-16 09:00", MENTOR, {}, "comment_created:a")
      .add("pr_opened", "2026-06-16 09:00", MENTEE, { draft: false }, "pr_opened:z")
      .add("pr_closed", "2026-06-16 08:59:59", MENTEE, {}, "pr_closed:x");
    const input = [...s.events];
    expect(sortEvents(s.events).map((e) => e.dedupeKey)).toEqual([
      "pr_closed:x",
      "pr_opened:z",
      "comment_created:a",
      "comment_created:b",
      "review_submitted:a",
    ]);
    expect(s.events).toEqual(input);
  });

  it("compares instants by time, not by spelling", () => {
    const s = story()
      .add("comment_created", "2026-06-16T09:00:00.000Z", MENTOR, {}, "k1")
      .add("comment_created", "2026-06-16T08:59:59Z", MENTOR, {}, "k2");
    expect(sortEvents(s.events).map((e) => e.dedupeKey)).toEqual(["k2", "k1"]);
  });
});

describe("deriveRequests does not depend on event order", () => {
  // Every order of a story must give the hand-computed answer. The stories with events in the same
  // second are the ones where a sort by time alone would leave the delivery order in charge.
  it.each(cases.map((k) => [k.name, k] as const))("%s", (_name, k) => {
    const orders =
      k.events.length <= 6
        ? permutations(k.events)
        : Array.from({ length: 200 }, (_, i) => shuffled(k.events, seededRandom(1000 + i)));
    for (const order of orders) expect(summarise(deriveRequests(order, k.ctx))).toEqual(k.expected);
  });
});
