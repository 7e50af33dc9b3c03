import { describe, expect, it } from "@jest/globals";
import type { Clock } from "../../src/domain/business-time.js";
import { buildReport, computeStats, percentile, type ReportInput } from "../../src/domain/stats.js";
import type { DerivedRequest, LatencyStats } from "../../src/domain/types.js";
import { ADMIN, MENTEE, MENTEE2, MENTOR, MENTOR2, instant } from "../helpers/events.js";

const H = 3600;
const SLA = 48 * H;

let seq = 0;
function req(
  opts: {
    project?: string;
    mentee?: { id: number; login: string };
    openedAt: string;
    answer?: { by: { id: number; login: string }; latency: number };
    repo?: string;
    number?: number;
    /** The first mentor's response when someone else answered first (responders: admins|anyone). */
    firstMentor?: DerivedRequest["firstMentorResponse"];
  },
): DerivedRequest {
  seq += 1;
  const mentee = opts.mentee ?? MENTEE;
  const response = opts.answer
    ? {
        at: new Date(Date.parse(instant(opts.openedAt)) + opts.answer.latency * 1000).toISOString(),
        kind: "comment" as const,
        responderId: opts.answer.by.id,
        responderLogin: opts.answer.by.login,
        latencySeconds: opts.answer.latency,
      }
    : null;
  return {
    programId: "amp-2026",
    projectId: opts.project ?? "cli",
    menteeId: mentee.id,
    menteeLogin: mentee.login,
    repo: opts.repo ?? "asyncapi/cli",
    number: opts.number ?? seq,
    threadKind: "pr",
    kind: "ready_for_review",
    openedAt: instant(opts.openedAt),
    openedBy: `pr_opened:${seq}`,
    response,
    firstMentorResponse: opts.firstMentor === undefined ? response : opts.firstMentor,
  };
}

function mentorAnswer(by: { id: number; login: string }, openedAt: string, latency: number): DerivedRequest["firstMentorResponse"] {
  const at = new Date(Date.parse(instant(openedAt)) + latency * 1000).toISOString();
  return { at, kind: "review", responderId: by.id, responderLogin: by.login, latencySeconds: latency };
}

const EMPTY: LatencyStats = {
  requests: 0,
  answered: 0,
  waiting: 0,
  overdue: 0,
  closedUnanswered: 0,
  p50Seconds: null,
  p90Seconds: null,
  maxSeconds: null,
  withinSla: null,
};

describe("percentile (linear interpolation, as numpy and percentile_cont)", () => {
  // Expected values printed by numpy 2.4: np.percentile(values, 100 * p).
  it.each<[number[], number, number]>([
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.9, 3.7],
    [[3, 7, 8, 15, 20, 21, 60], 0.5, 15],
    [[3, 7, 8, 15, 20, 21, 60], 0.9, 36.600000000000016],
    [[3, 7, 8, 15, 20, 21, 60], 0.1, 5.4],
    [[600, 3600, 7200, 86400, 172800], 0.5, 7200],
    [[600, 3600, 7200, 86400, 172800], 0.9, 138240],
    [[0, 1], 0.9, 0.9],
    [[10, 20], 0.25, 12.5],
    [[5], 0.9, 5],
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 1, 4],
  ])("%j at %d is %d", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it("is null for no values", () => {
    expect(percentile([], 0.5)).toBeNull();
  });

  it.each([50, -0.1, 1.01, Number.NaN])("rejects p = %d (p is a fraction)", (p) => {
    expect(() => percentile([1, 2], p)).toThrow(RangeError);
  });
});

describe("computeStats", () => {
  const now = "2026-06-20T00:00:00Z";

  it("is all zeros and nulls for no requests, never NaN", () => {
    expect(computeStats([], now, SLA)).toEqual(EMPTY);
  });

  it("counts, percentiles (rounded to 0.1 s), max and withinSla", () => {
    const rs = [
      req({ openedAt: "2026-06-16 00:00", answer: { by: MENTOR, latency: 1 } }),
      req({ openedAt: "2026-06-16 00:00", answer: { by: MENTOR, latency: 2 } }),
      req({ openedAt: "2026-06-16 00:00", answer: { by: MENTOR, latency: 4 } }),
      req({ openedAt: "2026-06-19 00:00" }),
    ];
    // [1, 2, 4]: p50 = 2; p90 = 2 + 0.8 × 2 = 3.6.
    expect(computeStats(rs, now, SLA)).toEqual({
      requests: 4,
      answered: 3,
      waiting: 1,
      overdue: 0,
      closedUnanswered: 0,
      p50Seconds: 2,
      p90Seconds: 3.6,
      maxSeconds: 4,
      withinSla: 1,
    });
  });

  it("a latency equal to the SLA is within it; one second more is not", () => {
    const rs = [
      req({ openedAt: "2026-06-10 00:00", answer: { by: MENTOR, latency: SLA } }),
      req({ openedAt: "2026-06-10 00:00", answer: { by: MENTOR, latency: SLA + 1 } }),
    ];
    expect(computeStats(rs, now, SLA).withinSla).toBe(0.5);
  });

  it("an age equal to the SLA is not overdue; one second more is", () => {
    const rs = [req({ openedAt: "2026-06-18 00:00" }), req({ openedAt: "2026-06-17 23:59:59" })];
    expect(computeStats(rs, now, SLA)).toMatchObject({ waiting: 2, overdue: 1, withinSla: 0 });
  });

  it("withinSla is null when nothing is answered and nothing is overdue", () => {
    expect(computeStats([req({ openedAt: "2026-06-19 00:00" })], now, SLA)).toEqual({ ...EMPTY, requests: 1, waiting: 1 });
  });

  it("withinSla counts overdue waiting requests against the SLA", () => {
    // 1 answered in time ÷ (2 answered + 1 overdue); the young waiting request does not count.
    const rs = [
      req({ openedAt: "2026-06-10 00:00", answer: { by: MENTOR, latency: 60 } }),
      req({ openedAt: "2026-06-10 00:00", answer: { by: MENTOR, latency: SLA * 2 } }),
      req({ openedAt: "2026-06-01 00:00" }),
      req({ openedAt: "2026-06-19 12:00" }),
    ];
    expect(computeStats(rs, now, SLA)).toMatchObject({ answered: 2, waiting: 2, overdue: 1, withinSla: 1 / 3 });
  });

  it("ages waiting requests on the request's clock", () => {
    const office: Clock = { timezone: "UTC", businessHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" } };
    // Fri 16:00 → Mon 10:00 is 66 calendar hours but 2 business hours.
    const rs = [req({ openedAt: "2026-06-19 16:00" })];
    expect(computeStats(rs, "2026-06-22T10:00:00Z", 3 * H, () => office).overdue).toBe(0);
    expect(computeStats(rs, "2026-06-22T10:00:00Z", 3 * H).overdue).toBe(1);
    expect(computeStats(rs, "2026-06-22T10:00:00Z", H, () => office).overdue).toBe(1);
  });
});

describe("buildReport", () => {
  const ZED = { id: 203, login: "zed" };
  const requests = [
    req({ openedAt: "2026-06-14 00:00", answer: { by: MENTOR, latency: 10 } }), // before since
    req({ openedAt: "2026-06-16 00:00", answer: { by: MENTOR, latency: 3600 } }), // r1
    req({ openedAt: "2026-06-16 12:00", mentee: MENTEE2, answer: { by: MENTOR2, latency: 7200 } }), // r2
    // r3: an admin answers first (responders: admins); MENTOR follows up 50,000 s later.
    req({ openedAt: "2026-06-17 00:00", answer: { by: ADMIN, latency: 200_000 }, firstMentor: mentorAnswer(MENTOR, "2026-06-17 00:00", 250_000) }),
    req({ openedAt: "2026-06-17 12:00", number: 77 }), // r4: waiting 60 h → overdue
    req({ openedAt: "2026-06-19 00:00", project: "spec", mentee: MENTEE2, repo: "asyncapi/spec", number: 5 }), // r5: 24 h
    req({ openedAt: "2026-06-18 00:00", project: "spec", mentee: MENTEE2, answer: { by: MENTOR2, latency: 100 } }), // r6
    req({ openedAt: "2026-06-20 00:00", project: "spec", mentee: MENTEE2 }), // at until: excluded
  ];
  const input: ReportInput = {
    program: "amp-2026",
    requests,
    now: "2026-06-20T00:00:00Z",
    since: "2026-06-15T00:00:00Z",
    until: "2026-06-20T00:00:00Z",
    slaSeconds: SLA,
    clock: "calendar",
    clockOf: () => ({ timezone: "UTC" }),
    projects: [
      { id: "studio", title: "Studio" },
      { id: "spec", title: "Spec" },
      { id: "cli", title: "AsyncAPI CLI" },
    ],
    mentorsByProject: { cli: [MENTOR, MENTOR2], spec: [MENTOR2], studio: [ZED] },
    urlOf: (r) => `https://github.com/${r.repo}/pull/${r.number}`,
  };
  const report = buildReport(input);

  // cli = r1..r4, latencies [3600, 7200, 200000]: p50 7200, p90 7200 + 0.8 × 192800 = 161440; 2 in SLA ÷ (3 + 1).
  const cli: LatencyStats = {
    requests: 4,
    answered: 3,
    waiting: 1,
    overdue: 1,
    closedUnanswered: 0,
    p50Seconds: 7200,
    p90Seconds: 161_440,
    maxSeconds: 200_000,
    withinSla: 0.5,
  };
  const spec: LatencyStats = {
    requests: 2,
    answered: 1,
    waiting: 1,
    overdue: 0,
    closedUnanswered: 0,
    p50Seconds: 100,
    p90Seconds: 100,
    maxSeconds: 100,
    withinSla: 1,
  };
  // r1..r6, latencies [100, 3600, 7200, 200000]: p50 5400, p90 7200 + 0.7 × 192800 = 142160; 3 ÷ (4 + 1).
  const all: LatencyStats = {
    requests: 6,
    answered: 4,
    waiting: 2,
    overdue: 1,
    closedUnanswered: 0,
    p50Seconds: 5400,
    p90Seconds: 142_160,
    maxSeconds: 200_000,
    withinSla: 0.6,
  };

  it("echoes the query", () => {
    expect(report).toMatchObject({
      program: "amp-2026",
      generatedAt: "2026-06-20T00:00:00Z",
      since: "2026-06-15T00:00:00Z",
      until: "2026-06-20T00:00:00Z",
      clock: "calendar",
      slaSeconds: SLA,
    });
  });

  it("totals count requests opened in [since, until)", () => {
    expect(report.totals).toEqual(all);
  });

  it("lists every project by id, with nulls for one without requests", () => {
    expect(report.byProject).toEqual([
      { id: "cli", title: "AsyncAPI CLI", ...cli },
      { id: "spec", title: "Spec", ...spec },
      { id: "studio", title: "Studio", ...EMPTY },
    ]);
  });

  it("gives each mentor their projects' requests, measured to a mentor's first response, and how many they answered first", () => {
    // r3 counts at MENTOR's 250,000 s, not the admin's 200,000 s. cli: [3600, 7200, 250000]: p90 7200 + 0.8 × 242800.
    const cliToMentors = { ...cli, p90Seconds: 201_440, maxSeconds: 250_000 };
    // cli and spec: [100, 3600, 7200, 250000]: p90 7200 + 0.7 × 242800.
    const allToMentors = { ...all, p90Seconds: 177_160, maxSeconds: 250_000 };
    expect(report.byMentor).toEqual([
      { login: MENTOR.login, answeredFirst: 2, ...cliToMentors }, // r1, and r3 first among the mentors
      { login: MENTOR2.login, answeredFirst: 2, ...allToMentors }, // in cli and spec: r2 and r6
      { login: "zed", answeredFirst: 0, ...EMPTY },
    ]);
  });

  it("keeps a request answered by a non-mentor waiting, then overdue, in the mentors' rows until a mentor answers", () => {
    const r = req({ openedAt: "2026-06-16 00:00", answer: { by: ADMIN, latency: 60 }, firstMentor: null });
    const alone = buildReport({ ...input, requests: [r], mentorsByProject: { cli: [MENTOR] }, projects: [{ id: "cli", title: "CLI" }] });
    expect(alone.totals).toMatchObject({ answered: 1, waiting: 0, overdue: 0, withinSla: 1 });
    expect(alone.waiting).toEqual([]);
    expect(alone.byMentor).toEqual([
      { login: MENTOR.login, answeredFirst: 0, ...EMPTY, requests: 1, waiting: 1, overdue: 1, withinSla: 0 },
    ]);
  });

  it("gives each mentee with requests their stats", () => {
    expect(report.byMentee).toEqual([
      // [3600, 200000]: p50 101800, p90 3600 + 0.9 × 196400 = 180360; 1 ÷ (2 + 1).
      {
        login: MENTEE.login,
        requests: 3,
        answered: 2,
        waiting: 1,
        overdue: 1,
        closedUnanswered: 0,
        p50Seconds: 101_800,
        p90Seconds: 180_360,
        maxSeconds: 200_000,
        withinSla: 1 / 3,
      },
      // [100, 7200]: p50 3650, p90 100 + 0.9 × 7100 = 6490.
      {
        login: MENTEE2.login,
        requests: 3,
        answered: 2,
        waiting: 1,
        overdue: 0,
        closedUnanswered: 0,
        p50Seconds: 3650,
        p90Seconds: 6490,
        maxSeconds: 7200,
        withinSla: 1,
      },
    ]);
  });

  it("lists waiting requests oldest first with age, overdue flag and url", () => {
    expect(report.waiting).toEqual([
      {
        mentee: MENTEE.login,
        repo: "asyncapi/cli",
        number: 77,
        url: "https://github.com/asyncapi/cli/pull/77",
        kind: "ready_for_review",
        openedAt: "2026-06-17T12:00:00Z",
        ageSeconds: 60 * H,
        overdue: true,
      },
      {
        mentee: MENTEE2.login,
        repo: "asyncapi/spec",
        number: 5,
        url: "https://github.com/asyncapi/spec/pull/5",
        kind: "ready_for_review",
        openedAt: "2026-06-19T00:00:00Z",
        ageSeconds: 24 * H,
        overdue: false,
      },
    ]);
  });

  it("does not depend on the order of the requests", () => {
    expect(buildReport({ ...input, requests: [...requests].reverse() })).toEqual(report);
  });

  it("without since/until takes everything; a project only the requests know is listed too", () => {
    const extra = req({ openedAt: "2026-06-16 00:00", project: "retired", mentee: MENTEE2, answer: { by: MENTOR, latency: 5 } });
    const r = buildReport({ ...input, since: null, until: null, requests: [...requests, extra] });
    expect(r.totals.requests).toBe(requests.length + 1);
    expect(r.byProject.map((p) => [p.id, p.title, p.requests])).toEqual([
      ["cli", "AsyncAPI CLI", 5],
      ["retired", "retired", 1],
      ["spec", "Spec", 3],
      ["studio", "Studio", 0],
    ]);
    expect(r.byProject.reduce((n, p) => n + p.requests, 0)).toBe(r.totals.requests);
  });
});
