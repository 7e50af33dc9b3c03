/**
 * Figures over time and distributions for the dashboard's charts, from data the reports already hold.
 * Pure; src/render/trend-charts.ts turns them into chart specs.
 *
 * Decisions:
 * - A request belongs to the week it was opened in, in the program's timezone; weeks start on Monday,
 *   local time, so a week is 7 local days whatever DST does (167 or 169 hours on a change).
 * - Percentiles are stats.ts's (`percentile`, rounded to one decimal), over the week's answered
 *   requests only. A still-waiting request is counted as waiting, never as a latency; a request closed
 *   unanswered is counted as such. A week with requests but no answer has null percentiles: a gap in
 *   the chart, not a zero.
 * - Every week between the first and the last is listed, with or without requests.
 * - Latency buckets are (lower, upper]: a latency equal to an edge falls in the bucket below it, as a
 *   latency equal to the SLA is within the SLA (stats.ts). The SLA is always one of the edges.
 */
import { instantMs } from "./business-time.js";
import { addDays, localDate, startOfDay } from "./milestones.js";
import { percentile } from "./stats.js";
import type { CalendarDate, DerivedRequest, Instant } from "./types.js";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** What the trends read of a request: a DerivedRequest has it, and so does a row of `requests`. */
export interface TrendRequest {
  openedAt: Instant;
  /** Seconds to the first response on the program's clock; null while unanswered. */
  latencySeconds: number | null;
  /** Closed by the mentee unanswered after the SLA: neither answered nor waiting. */
  closedUnanswered?: boolean;
}

/**
 * A derived request as the trends read it, measured to its first response (`response`, as the report's
 * totals and projects are) or to its first mentor response (as the report's mentor rows are).
 */
export function trendRequestOf(r: DerivedRequest, to: "response" | "firstMentorResponse" = "response"): TrendRequest {
  const answer = to === "response" ? r.response : r.firstMentorResponse;
  return { openedAt: r.openedAt, latencySeconds: answer?.latencySeconds ?? null, closedUnanswered: answer === null && r.closedUnansweredAt !== undefined };
}

/** Bucket edges in seconds: 1 h, 4 h, 12 h, 24 h, 48 h, 1 week. */
export const DEFAULT_LATENCY_EDGES: readonly number[] = [HOUR, 4 * HOUR, 12 * HOUR, DAY, 2 * DAY, WEEK];

export interface LatencyBucket {
  /** `≤1h`, `1–4h`, `48h–1w`, `>1w`. */
  label: string;
  /** Exclusive lower bound (0 for the first bucket, which includes 0). */
  fromSeconds: number;
  /** Inclusive upper bound; null for the last bucket. */
  toSeconds: number | null;
  count: number;
  /** Every latency in the bucket is within the SLA. */
  withinSla: boolean;
}

export interface LatencyDistribution {
  buckets: LatencyBucket[];
  /** Index of the first bucket past the SLA (the edge the SLA line sits on). */
  slaEdge: number;
  slaSeconds: number;
  answered: number;
  waiting: number;
  closedUnanswered: number;
}

/** `45m`, `4h`, `48h`, `1w`, `90m`; hours up to a week, as people say "answered within 48 hours". */
export function shortDuration(seconds: number): string {
  if (seconds > 0 && seconds % WEEK === 0) return `${seconds / WEEK}w`;
  if (seconds % HOUR === 0) return `${seconds / HOUR}h`;
  if (seconds % MINUTE === 0) return `${seconds / MINUTE}m`;
  return `${seconds}s`;
}

function rangeLabel(from: number, to: number): string {
  const a = shortDuration(from);
  const b = shortDuration(to);
  // `1–4h` rather than `1h–4h` when both ends share a unit.
  return a.slice(-1) === b.slice(-1) ? `${a.slice(0, -1)}–${b}` : `${a}–${b}`;
}

/** The answered requests by time to first response, in buckets whose edges include the SLA. */
export function latencyDistribution(requests: readonly TrendRequest[], slaSeconds: number, edges: readonly number[] = DEFAULT_LATENCY_EDGES): LatencyDistribution {
  if (!(Number.isFinite(slaSeconds) && slaSeconds > 0)) throw new RangeError(`SLA must be a positive number of seconds, got ${slaSeconds}`);
  for (const e of edges) if (!(Number.isFinite(e) && e > 0)) throw new RangeError(`bucket edges must be positive seconds, got ${e}`);
  const sorted = [...new Set([...edges, slaSeconds])].sort((a, b) => a - b);
  const buckets: LatencyBucket[] = sorted.map((to, i) => {
    const from = i === 0 ? 0 : (sorted[i - 1] as number);
    return { label: i === 0 ? `≤${shortDuration(to)}` : rangeLabel(from, to), fromSeconds: from, toSeconds: to, count: 0, withinSla: to <= slaSeconds };
  });
  const last = sorted[sorted.length - 1] as number;
  buckets.push({ label: `>${shortDuration(last)}`, fromSeconds: last, toSeconds: null, count: 0, withinSla: false });

  let answered = 0;
  let waiting = 0;
  let closedUnanswered = 0;
  for (const r of requests) {
    if (r.latencySeconds === null) {
      if (r.closedUnanswered) closedUnanswered++;
      else waiting++;
      continue;
    }
    answered++;
    const latency = r.latencySeconds;
    // The first bucket whose upper edge is at or above the latency (the last bucket has none).
    (buckets[partitionPoint(sorted.length, (i) => (sorted[i] as number) < latency)] as LatencyBucket).count++;
  }
  return { buckets, slaEdge: sorted.indexOf(slaSeconds) + 1, slaSeconds, answered, waiting, closedUnanswered };
}

/** The first index in [0, length) where `before` is false, for a `before` that is true then false: a binary search. */
function partitionPoint(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Monday of the local week that holds `epochMs`, in `timezone`. */
export function weekStartOf(epochMs: number, timezone: string): CalendarDate {
  const date = localDate(epochMs, timezone);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** Every Monday from the week of `first` to the week of `last`, both included. */
function weeksBetween(first: CalendarDate, last: CalendarDate): CalendarDate[] {
  const weeks: CalendarDate[] = [];
  for (let w = first; w <= last; w = addDays(w, 7)) weeks.push(w);
  return weeks;
}

export interface WeekSpan {
  /** The program's IANA timezone: weeks are its local Monday-to-Sunday. */
  timezone: string;
  /** First instant counted (inclusive); default the earliest item. */
  from?: Instant | null;
  /** First instant no longer counted (exclusive); default just after the latest item. */
  to?: Instant | null;
}

/**
 * The weeks a span covers, a filter for the instants inside it, and which week an instant falls in
 * (-1 before the first). The week's first instants are computed once, so placing each of 100k requests
 * is a binary search rather than a timezone lookup. Null when there is nothing to span.
 */
function spanOf(
  instants: readonly number[],
  span: WeekSpan,
): { weeks: CalendarDate[]; contains: (ms: number) => boolean; weekIndex: (ms: number) => number } | null {
  const from = span.from ? instantMs(span.from) : null;
  const to = span.to ? instantMs(span.to) : null;
  const contains = (ms: number) => (from === null || ms >= from) && (to === null || ms < to);
  let earliest: number | null = null;
  let latest: number | null = null;
  for (const ms of instants) {
    if (!contains(ms)) continue;
    if (earliest === null || ms < earliest) earliest = ms;
    if (latest === null || ms > latest) latest = ms;
  }
  const first = from ?? earliest;
  const last = to !== null ? to - 1 : latest;
  if (first === null || last === null || last < first) return null;
  const weeks = weeksBetween(weekStartOf(first, span.timezone), weekStartOf(last, span.timezone));
  const starts = weeks.map((w) => startOfDay(w, span.timezone));
  const weekIndex = (ms: number) => partitionPoint(starts.length, (i) => (starts[i] as number) <= ms) - 1;
  return { weeks, contains, weekIndex };
}

export interface WeekLatency {
  /** Monday, local date. */
  weekStart: CalendarDate;
  requests: number;
  answered: number;
  waiting: number;
  closedUnanswered: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

function round1(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10) / 10;
}

/** p50 and p90 of the answered requests by the week they were opened, every week of the span listed. */
export function weeklyLatency(requests: readonly TrendRequest[], span: WeekSpan): WeekLatency[] {
  const opened = requests.map((r) => instantMs(r.openedAt));
  const covered = spanOf(opened, span);
  if (covered === null) return [];
  const byWeek: TrendRequest[][] = covered.weeks.map(() => []);
  requests.forEach((r, i) => {
    const at = opened[i] as number;
    if (covered.contains(at)) byWeek[covered.weekIndex(at)]?.push(r);
  });
  return covered.weeks.map((weekStart, i) => {
    const rs = byWeek[i] ?? [];
    let answered = 0;
    let closedUnanswered = 0;
    for (const r of rs) {
      if (r.latencySeconds !== null) answered++;
      else if (r.closedUnanswered) closedUnanswered++;
    }
    // A typed array sorts numerically without a comparator: several times faster on 100k latencies.
    const sorted = new Float64Array(answered);
    let n = 0;
    for (const r of rs) if (r.latencySeconds !== null) sorted[n++] = r.latencySeconds;
    sorted.sort();
    const latencies = Array.from(sorted);
    return {
      weekStart,
      requests: rs.length,
      answered,
      waiting: rs.length - answered - closedUnanswered,
      closedUnanswered,
      p50Seconds: round1(percentile(latencies, 0.5)),
      p90Seconds: round1(percentile(latencies, 0.9)),
    };
  });
}

/** A task that was completed, and when: the close that made it done. */
export interface DoneTask {
  projectId: string;
  doneAt: Instant;
}

export interface TasksDoneByWeek {
  weeks: CalendarDate[];
  /** One row per project given, in the order given, plus any project only the tasks know (sorted by id). */
  byProject: { id: string; title: string; cumulative: number[] }[];
}

/**
 * Tasks done so far at the end of each week, per project. Tasks done before `from` (a program's
 * preparation) count from the first week; tasks done at or after `to` are not counted.
 */
export function tasksDoneByWeek(tasks: readonly DoneTask[], projects: readonly { id: string; title: string }[], span: WeekSpan): TasksDoneByWeek {
  const to = span.to ? instantMs(span.to) : null;
  const done = tasks.map((t) => ({ projectId: t.projectId, ms: instantMs(t.doneAt) })).filter((t) => to === null || t.ms < to);
  // No lower bound here: a task done before the span starts counts from its first week.
  const covered = spanOf(
    done.map((t) => t.ms),
    { timezone: span.timezone, from: span.from ?? null, to: span.to ?? null },
  );
  const titles = new Map<string, string>();
  for (const p of projects) if (!titles.has(p.id)) titles.set(p.id, p.title);
  for (const id of [...new Set(done.map((t) => t.projectId))].sort()) if (!titles.has(id)) titles.set(id, id);
  const weeks = covered?.weeks ?? [];
  const perWeek = new Map([...titles.keys()].map((id) => [id, weeks.map(() => 0)]));
  if (covered !== null) {
    for (const t of done) {
      const i = Math.max(0, covered.weekIndex(t.ms));
      const counts = perWeek.get(t.projectId) as number[];
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  return {
    weeks,
    byProject: [...titles].map(([id, title]) => {
      let total = 0;
      return { id, title, cumulative: (perWeek.get(id) ?? []).map((n) => (total += n)) };
    }),
  };
}
