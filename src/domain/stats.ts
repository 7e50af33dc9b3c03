/**
 * Latency statistics and the response-time report over derived requests. Pure.
 *
 * Decisions (also in the README):
 * - `percentile` takes p as a fraction in [0, 1], like Postgres `percentile_cont` (numpy's `percentile`
 *   takes 0–100; its `quantile` takes the fraction): a p of 50 is a RangeError, never a silent 100%.
 * - Latencies and ages are whole seconds (see elapsedSeconds). p50/p90 may fall between two values and
 *   are rounded to one decimal (SQL equivalent: `round(percentile_cont(p) ... ::numeric, 1)`); `withinSla`
 *   is an unrounded fraction in [0, 1].
 * - A waiting request is overdue when its age is strictly greater than the SLA; an answered one is within
 *   the SLA when its latency is less than or equal to it. A request closed unanswered (the mentee gave up
 *   after the SLA) is neither answered nor waiting, and counts against `withinSla` like an overdue one.
 * - byProject lists every project given plus any project id that only the requests know (a project since
 *   removed from the roster), so byProject always adds up to totals; sorted by id.
 * - byMentor: one row per mentor id, over the requests of every project they mentor (a mentor in two
 *   projects aggregates both), sorted by login (case-insensitive) then id, measured to
 *   `firstMentorResponse`: the first response by one of the project's mentors, as the design asks. With
 *   the default `mentors` policy that is `response`; under `admins`/`anyone` a request answered first by
 *   someone else still waits, and can be overdue, in the mentors' rows until a mentor answers, and
 *   `answeredFirst` credits the mentor who answered first among the mentors.
 * - byMentee: mentees with at least one request in range, by login (case-insensitive) then id; the login
 *   is the one on their latest request.
 * - `clock` is a label for the reader; ages use `clockOf`, which must be the clock the latencies were
 *   derived with.
 */
import { elapsedSeconds, instantMs, type Clock } from "./business-time.js";
import type { DerivedRequest, Instant, LatencyStats, ResponseTimeReport, WaitingRequest } from "./types.js";

export type ClockOf = (r: DerivedRequest) => Clock;

const CALENDAR: Clock = { timezone: "UTC" };
const calendar: ClockOf = () => CALENDAR;

/**
 * Linear interpolation between closest ranks over ascending values, as Postgres `percentile_cont` and
 * numpy's default method; null for no values. Uses numpy's two-sided lerp so results match it to the bit.
 */
export function percentile(sortedValues: number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p must be a fraction in [0, 1], got ${p}`);
  const n = sortedValues.length;
  if (n === 0) return null;
  const index = p * (n - 1);
  const lo = Math.floor(index);
  const a = sortedValues[lo] as number;
  const b = sortedValues[Math.min(lo + 1, n - 1)] as number;
  const t = index - lo;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function round1(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10) / 10;
}

/** Age of a waiting request at `now`, on its program's clock. */
export function ageSeconds(r: DerivedRequest, now: Instant, clockOf: ClockOf = calendar): number {
  return elapsedSeconds(r.openedAt, now, clockOf(r));
}

export function computeStats(
  requests: DerivedRequest[],
  now: Instant,
  slaSeconds: number,
  clockOf: ClockOf = calendar,
): LatencyStats {
  const latencies: number[] = [];
  let overdue = 0;
  let closedUnanswered = 0;
  for (const r of requests) {
    if (r.response) latencies.push(r.response.latencySeconds);
    else if (r.closedUnansweredAt !== undefined) closedUnanswered++;
    else if (ageSeconds(r, now, clockOf) > slaSeconds) overdue++;
  }
  latencies.sort((a, b) => a - b);
  const answered = latencies.length;
  const within = latencies.filter((l) => l <= slaSeconds).length;
  const denominator = answered + overdue + closedUnanswered;
  return {
    requests: requests.length,
    answered,
    waiting: requests.length - answered - closedUnanswered,
    overdue,
    closedUnanswered,
    p50Seconds: round1(percentile(latencies, 0.5)),
    p90Seconds: round1(percentile(latencies, 0.9)),
    maxSeconds: answered > 0 ? (latencies[answered - 1] as number) : null,
    withinSla: denominator === 0 ? null : within / denominator,
  };
}

export interface ReportInput {
  program: string;
  requests: DerivedRequest[];
  now: Instant;
  /** Inclusive lower bound on openedAt. */
  since: Instant | null;
  /** Exclusive upper bound on openedAt. */
  until: Instant | null;
  /** The days the bounds were named by, echoed for the header (see ResponseTimeReport). */
  sinceDate?: string | null;
  untilDate?: string | null;
  slaSeconds: number;
  clock: "calendar" | "business";
  /** The program's working day under business hours (see ResponseTimeReport). */
  workingDaySeconds?: number | null;
  clockOf: ClockOf;
  projects: { id: string; title: string }[];
  mentorsByProject: Record<string, { id: number; login: string }[]>;
  urlOf: (r: DerivedRequest) => string;
}

function byText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

export function buildReport(input: ReportInput): ResponseTimeReport {
  const { now, slaSeconds, clockOf } = input;
  const since = input.since === null ? null : instantMs(input.since);
  const until = input.until === null ? null : instantMs(input.until);
  const inRange = input.requests.filter((r) => {
    const at = instantMs(r.openedAt);
    return (since === null || at >= since) && (until === null || at < until);
  });
  const stats = (rs: DerivedRequest[]): LatencyStats => computeStats(rs, now, slaSeconds, clockOf);

  const byProjectId = new Map<string, DerivedRequest[]>();
  for (const r of inRange) {
    const list = byProjectId.get(r.projectId);
    if (list) list.push(r);
    else byProjectId.set(r.projectId, [r]);
  }
  const titles = new Map<string, string>();
  for (const p of input.projects) if (!titles.has(p.id)) titles.set(p.id, p.title);
  for (const id of byProjectId.keys()) if (!titles.has(id)) titles.set(id, id);
  const byProject = [...titles.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, title]) => ({ id, title, ...stats(byProjectId.get(id) ?? []) }));

  const mentors = new Map<number, { login: string; projects: Set<string> }>();
  for (const projectId of Object.keys(input.mentorsByProject).sort()) {
    for (const m of input.mentorsByProject[projectId] ?? []) {
      const entry = mentors.get(m.id);
      if (entry) entry.projects.add(projectId);
      else mentors.set(m.id, { login: m.login, projects: new Set([projectId]) });
    }
  }
  const byMentor = [...mentors.entries()]
    .sort(([idA, a], [idB, b]) => byText(a.login, b.login) || idA - idB)
    .map(([id, { login, projects }]) => {
      const rs = inRange.filter((r) => projects.has(r.projectId)).map((r) => ({ ...r, response: r.firstMentorResponse }));
      const answeredFirst = rs.filter((r) => r.response?.responderId === id).length;
      return { login, answeredFirst, ...stats(rs) };
    });

  const byMenteeId = new Map<number, DerivedRequest[]>();
  for (const r of inRange) {
    const list = byMenteeId.get(r.menteeId);
    if (list) list.push(r);
    else byMenteeId.set(r.menteeId, [r]);
  }
  const byMentee = [...byMenteeId.entries()]
    .map(([id, rs]) => {
      // Ties on openedAt settle on the login, so input order never picks the name.
      const latest = rs.reduce((x, y) => {
        const d = instantMs(y.openedAt) - instantMs(x.openedAt);
        return d > 0 || (d === 0 && y.menteeLogin > x.menteeLogin) ? y : x;
      });
      return { id, login: latest.menteeLogin, rs };
    })
    .sort((a, b) => byText(a.login, b.login) || a.id - b.id)
    .map(({ login, rs }) => ({ login, ...stats(rs) }));

  const waiting = waitingRequests(inRange, now, slaSeconds, clockOf, input.urlOf);

  return {
    program: input.program,
    generatedAt: now,
    since: input.since,
    until: input.until,
    sinceDate: input.sinceDate ?? null,
    untilDate: input.untilDate ?? null,
    clock: input.clock,
    workingDaySeconds: input.workingDaySeconds ?? null,
    slaSeconds,
    totals: stats(inRange),
    byProject,
    byMentor,
    byMentee,
    waiting,
  };
}

/** The requests still waiting, oldest first, each with its age on its program's clock. */
export function waitingRequests(
  requests: readonly DerivedRequest[],
  now: Instant,
  slaSeconds: number,
  clockOf: ClockOf,
  urlOf: (r: DerivedRequest) => string,
): WaitingRequest[] {
  return requests
    .filter((r) => r.response === null && r.closedUnansweredAt === undefined)
    .sort(
      (a, b) =>
        instantMs(a.openedAt) - instantMs(b.openedAt) ||
        byText(a.repo, b.repo) ||
        a.number - b.number ||
        a.menteeId - b.menteeId,
    )
    .map((r) => {
      const age = ageSeconds(r, now, clockOf);
      return {
        mentee: r.menteeLogin,
        repo: r.repo,
        number: r.number,
        url: urlOf(r),
        kind: r.kind,
        openedAt: r.openedAt,
        ageSeconds: age,
        overdue: age > slaSeconds,
      };
    });
}
