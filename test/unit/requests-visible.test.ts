import { describe, expect, it } from "@jest/globals";
import { deriveRequests } from "../../src/domain/requests.js";
import { buildReport } from "../../src/domain/stats.js";
import type { DerivedRequest, ThreadEvent } from "../../src/domain/types.js";
import { ADMIN, MENTEE, MENTOR, MENTOR2, STRANGER, enrolment, permutations, story } from "../helpers/events.js";

/** What a reader of the report sees of each request. */
const seen = (rs: DerivedRequest[]) =>
  rs.map((r) => ({
    kind: r.kind,
    openedAt: r.openedAt,
    by: r.response?.responderLogin ?? null,
    latency: r.response?.latencySeconds ?? null,
    mentor: r.firstMentorResponse?.responderLogin ?? null,
    mentorLatency: r.firstMentorResponse?.latencySeconds ?? null,
  }));

const everyOrder = (events: ThreadEvent[]) => permutations(events);

describe("deleted comments neither open nor answer", () => {
  it("a mentor's deleted comment does not answer; the later real answer does, in every order (deletion first, ties)", () => {
    // The deletion is dated at the comment's updated_at: the same second as its creation.
    const s = story()
      .prOpened("2026-06-16 09:00")
      .add("comment_created", "2026-06-16 09:14", MENTOR, {}, "comment_created:IC_spam")
      .add("comment_deleted", "2026-06-16 09:14", MENTOR, {}, "comment_deleted:IC_spam")
      .comment("2026-06-16 17:56", MENTOR2);
    for (const order of everyOrder(s.events)) {
      expect(seen(deriveRequests(order, s.context()))).toEqual([
        { kind: "ready_for_review", openedAt: "2026-06-16T09:00:00Z", by: MENTOR2.login, latency: 8 * 3600 + 56 * 60, mentor: MENTOR2.login, mentorLatency: 32160 },
      ]);
    }
  });

  it("a mentee's comment deleted at once is no request, whichever arrives first", () => {
    const s = story({ threadKind: "issue", number: 7, author: STRANGER })
      .add("comment_created", "2026-06-16 09:00", MENTEE, {}, "comment_created:IC_oops")
      .add("comment_edited", "2026-06-16 09:00", MENTEE, {}, "comment_edited:IC_oops:2026-06-16T09:00:00Z")
      .add("comment_deleted", "2026-06-16 09:00", MENTEE, {}, "comment_deleted:IC_oops");
    for (const order of everyOrder(s.events)) expect(deriveRequests(order, s.context([enrolment()], true))).toEqual([]);
    // Without the deletion the same comment is a request on the task: the test above can fail.
    expect(deriveRequests(s.events.slice(0, 1), s.context([enrolment()], true))).toHaveLength(1);
  });

  it("a deleted inline review comment (same kind of deletion) does not answer", () => {
    const s = story()
      .prOpened("2026-06-16 09:00")
      .add("review_comment_created", "2026-06-16 10:00", MENTOR, {}, "review_comment_created:PRRC_x")
      .add("comment_deleted", "2026-06-16 10:00", MENTOR, {}, "comment_deleted:PRRC_x");
    expect(seen(deriveRequests(s.events, s.context()))[0]?.by).toBeNull();
  });
});

describe("same-second events follow GitHub's numeric ids", () => {
  it("a mentee's question and a mentor's comment in one second: the earlier id decides, whatever the node ids say", () => {
    // Node ids sort the other way round from creation here ("IC_b…" < "IC_z…").
    const question = (at: string) => story({ threadKind: "issue", number: 7, author: STRANGER })
      .add("comment_created", at, MENTEE, { githubId: 1001 }, "comment_created:IC_zzz")
      .add("comment_created", at, MENTOR, { githubId: 1002 }, "comment_created:IC_bbb");
    const s = question("2026-06-16 09:00:05");
    for (const order of everyOrder(s.events)) {
      expect(seen(deriveRequests(order, s.context([enrolment()], true)))).toEqual([
        { kind: "comment", openedAt: "2026-06-16T09:00:05Z", by: MENTOR.login, latency: 0, mentor: MENTOR.login, mentorLatency: 0 },
      ]);
    }
  });
});

describe("an inline review comment counts at its review's submission", () => {
  it("a mentor's drafted comments answer when the review is submitted, not when drafted", () => {
    const s = story()
      .prOpened("2026-06-16 09:00")
      .add("review_comment_created", "2026-06-16 10:00", MENTOR, { githubId: 5001, reviewId: 900 }, "review_comment_created:PRRC_draft")
      .add("review_submitted", "2026-06-16 15:00", MENTOR, { reviewState: "commented", githubId: 900 }, "review_submitted:PRR_900");
    for (const order of everyOrder(s.events)) {
      expect(seen(deriveRequests(order, s.context()))).toEqual([
        { kind: "ready_for_review", openedAt: "2026-06-16T09:00:00Z", by: MENTOR.login, latency: 6 * 3600, mentor: MENTOR.login, mentorLatency: 6 * 3600 },
      ]);
    }
    // The backfill never reads review comments: the review alone gives the same answer.
    expect(seen(deriveRequests([s.events[0]!, s.events[2]!], s.context()))[0]?.latency).toBe(6 * 3600);
  });

  it("a mentee's review with inline comments is their comment (rule 4), at its submission, with or without the comments", () => {
    const s = story({ number: 8 })
      .prOpened("2026-06-16 09:00")
      .comment("2026-06-16 09:30", MENTOR)
      .add("review_comment_created", "2026-06-16 11:00", MENTEE, { githubId: 5002, reviewId: 901 }, "review_comment_created:PRRC_m")
      .add("review_submitted", "2026-06-16 12:00", MENTEE, { reviewState: "commented", githubId: 901 }, "review_submitted:PRR_901")
      .comment("2026-06-16 13:00", MENTOR);
    const expected = [
      { kind: "ready_for_review", openedAt: "2026-06-16T09:00:00Z", by: MENTOR.login, latency: 1800, mentor: MENTOR.login, mentorLatency: 1800 },
      { kind: "comment", openedAt: "2026-06-16T12:00:00Z", by: MENTOR.login, latency: 3600, mentor: MENTOR.login, mentorLatency: 3600 },
    ];
    expect(seen(deriveRequests(s.events, s.context()))).toEqual(expected);
    expect(seen(deriveRequests(s.events.filter((e) => e.kind !== "review_comment_created"), s.context()))).toEqual(expected);
  });
});

describe("firstMentorResponse", () => {
  it("under responders: anyone, a stranger answers first and a mentor later: both are kept", () => {
    const s = story().prOpened("2026-06-16 09:00").comment("2026-06-16 09:05", STRANGER).comment("2026-06-16 10:00", ADMIN).review("2026-06-16 12:00", MENTOR2);
    expect(seen(deriveRequests(s.events, s.context([enrolment({ responders: "anyone" })])))).toEqual([
      { kind: "ready_for_review", openedAt: "2026-06-16T09:00:00Z", by: STRANGER.login, latency: 300, mentor: MENTOR2.login, mentorLatency: 3 * 3600 },
    ]);
  });

  it("stays null while no mentor has answered, and equals the response when a mentor answered first", () => {
    const s = story().prOpened("2026-06-16 09:00").comment("2026-06-16 09:05", ADMIN);
    const [r] = deriveRequests(s.events, s.context([enrolment({ responders: "admins" })]));
    expect(r?.response?.responderLogin).toBe(ADMIN.login);
    expect(r?.firstMentorResponse).toBeNull();
    const m = story().prOpened("2026-06-16 09:00").comment("2026-06-16 09:05", MENTOR);
    const [q] = deriveRequests(m.events, m.context([enrolment({ responders: "admins" })]));
    expect(q?.firstMentorResponse).toEqual(q?.response);
  });
});

describe("a passer-by's answer, a mentor's deleted comment and a close after the SLA, together", () => {
  // Under `responders: anyone`: the passer-by answers the PR; the mentee's follow-up is a second request; the
  // only mentor comment is deleted; the mentee closes the PR 70 h after the follow-up (SLA 48 h).
  const s = story({ number: 9 })
    .prOpened("2026-06-16 09:00")
    .comment("2026-06-16 10:00", STRANGER)
    .comment("2026-06-16 11:00", MENTEE)
    .add("comment_created", "2026-06-16 12:00", MENTOR, {}, "comment_created:IC_gone")
    .add("comment_deleted", "2026-06-16 12:00", MENTOR, {}, "comment_deleted:IC_gone")
    .closed("2026-06-19 09:00", MENTEE);
  const ctx = s.context([enrolment({ responders: "anyone" })]);

  it("the first request is answered with no mentor response, the follow-up is closed unanswered, in every order", () => {
    for (const order of everyOrder(s.events)) {
      const requests = deriveRequests(order, ctx);
      expect(seen(requests)).toEqual([
        { kind: "ready_for_review", openedAt: "2026-06-16T09:00:00Z", by: STRANGER.login, latency: 3600, mentor: null, mentorLatency: null },
        { kind: "comment", openedAt: "2026-06-16T11:00:00Z", by: null, latency: null, mentor: null, mentorLatency: null },
      ]);
      expect(requests.map((r) => r.closedUnansweredAt ?? null)).toEqual([null, "2026-06-19T09:00:00Z"]);
    }
    // Without the deletion the mentor's comment answers the follow-up and is the first one's mentor response.
    const kept = deriveRequests(s.events.filter((e) => e.kind !== "comment_deleted"), ctx);
    expect(seen(kept).map((r) => [r.by, r.mentor])).toEqual([[STRANGER.login, MENTOR.login], [MENTOR.login, MENTOR.login]]);
  });

  it("the report counts one answered and one closed unanswered; the mentors' rows still wait for a mentor on the first", () => {
    const report = buildReport({
      program: "amp-2026",
      requests: deriveRequests(s.events, ctx),
      now: "2026-06-30T00:00:00Z",
      since: null,
      until: null,
      slaSeconds: 48 * 3600,
      clock: "calendar",
      clockOf: () => ({ timezone: "UTC" }),
      projects: [{ id: "cli", title: "CLI" }],
      mentorsByProject: { cli: [MENTOR, MENTOR2] },
      urlOf: (r) => `${r.repo}#${r.number}`,
    });
    expect(report.totals).toEqual({
      requests: 2, answered: 1, waiting: 0, overdue: 0, closedUnanswered: 1, p50Seconds: 3600, p90Seconds: 3600, maxSeconds: 3600, withinSla: 0.5,
    });
    expect(report.byMentor.find((m) => m.login === MENTOR.login)).toEqual({
      login: MENTOR.login, answeredFirst: 0,
      requests: 2, answered: 0, waiting: 1, overdue: 1, closedUnanswered: 1, p50Seconds: null, p90Seconds: null, maxSeconds: null, withinSla: 0,
    });
    expect(report.waiting).toEqual([]);
  });
});
