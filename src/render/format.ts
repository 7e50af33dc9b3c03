/**
 * Small formatting helpers shared by the renderers. Kept here (not in src/config/duration.ts) so the
 * render layer has no dependency on config parsing, and so every rendered body depends only on its
 * input data: nothing reads the clock, the locale or the process timezone.
 */
import type { Instant, RequestKind, ResponseTimeReport } from "../domain/types.js";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * `2d 3h`, `5h 12m`, `45m`, `0m`: the two largest units, rounded down. Rounding down keeps an
 * age from looking older than it is (a request waiting 47h59m never reads as "2d").
 * Negative, NaN and infinite inputs render as `0m`: they only arise from clock skew between
 * payload timestamps, and a nonsense duration is worse than none.
 */
export function formatDuration(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const days = Math.floor(s / DAY);
  const hours = Math.floor((s % DAY) / HOUR);
  const minutes = Math.floor((s % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

/**
 * How long `seconds` is on a program's clock. Calendar time (`workingDaySeconds` null) reads as
 * `formatDuration`. Under business hours the seconds count only working time, so they must not read as
 * calendar days: `6 working hours`, `2 working days 3h`, with a working day the program's day length
 * (09:00–17:00 is 8 hours). Two largest units, rounded down, like `formatDuration`.
 */
export function formatClockDuration(seconds: number, workingDaySeconds: number | null): string {
  if (workingDaySeconds === null || !(workingDaySeconds > 0)) return formatDuration(seconds);
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const days = Math.floor(s / workingDaySeconds);
  const hours = Math.floor((s % workingDaySeconds) / HOUR);
  const minutes = Math.floor((s % HOUR) / MINUTE);
  if (days > 0) return `${plural(days, "working day")}${hours > 0 ? ` ${hours}h` : ""}`;
  if (hours > 0) return `${plural(hours, "working hour")}${minutes > 0 ? ` ${minutes}m` : ""}`;
  return plural(minutes, "working minute");
}

/** `formatClockDuration`, or an em dash for "no value" (a statistic over zero answered requests). */
export function formatOptionalDuration(seconds: number | null, workingDaySeconds: number | null = null): string {
  return seconds === null ? "—" : formatClockDuration(seconds, workingDaySeconds);
}

function toDate(instant: Instant): Date {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  return date;
}

/** `2026-06-16` (UTC). */
export function formatDate(instant: Instant): string {
  return toDate(instant).toISOString().slice(0, 10);
}

/** `2026-06-16 09:30 UTC`: minute precision matches the progress comment's once-a-minute edits. */
export function formatDateTime(instant: Instant): string {
  const iso = toDate(instant).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * `98.6%`: one decimal, rounded down. One decimal, so the table reads like the JSON beside it (0.9868 is
 * 98.6%, not 98% nor 99%); rounded down, so 99.96 % never claims a perfect 100.0 %. The epsilon absorbs
 * binary floating-point error (0.29 × 1000 = 289.999…).
 */
export function formatPercent(ratio: number | null): string {
  const percent = percentOf(ratio);
  return percent === null ? "—" : `${percent.toFixed(1)}%`;
}

/** A ratio as the percentage `formatPercent` shows (98.6 for 0.9868), for charts that draw it; null stays null. */
export function percentOf(ratio: number | null): number | null {
  if (ratio === null || !Number.isFinite(ratio)) return null;
  return Math.floor(ratio * 1000 + 1e-9) / 10;
}

/** Plural for counts in prose: `1 task`, `2 tasks`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * Code-unit order, not `localeCompare`: collation varies with ICU data and locale, and the
 * progress comment must be byte-identical for identical data on every machine.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Short labels for request kinds in tables (reports, CLI). */
export const REQUEST_KIND_LABEL: Record<RequestKind, string> = {
  ready_for_review: "ready for review",
  review_requested: "review requested",
  push_after_changes: "push after changes",
  comment: "comment",
  issue_opened: "issue opened",
};

/**
 * The report's time window in words, naming the days the reader asked for (both included) in the
 * program's timezone: `all requests`, `requests since 2026-06-15`, `requests from 2026-06-15 to
 * 2026-07-01`. A bound given as an instant is shown as one: `requests before 2026-07-01 12:00 UTC`.
 */
export function reportWindow(report: Pick<ResponseTimeReport, "since" | "until" | "sinceDate" | "untilDate">): string {
  const from = report.sinceDate ?? (report.since === null ? null : formatDateTime(report.since));
  if (report.untilDate === null && report.until !== null) {
    const before = `before ${formatDateTime(report.until)}`;
    return from === null ? `requests ${before}` : `requests from ${from}, ${before}`;
  }
  const to = report.untilDate;
  if (from === null && to === null) return "all requests";
  if (to === null) return `requests since ${from}`;
  if (from === null) return `requests until ${to}`;
  return `requests from ${from} to ${to}`;
}

/** The words after a duration's number for the report header: `calendar time` or `business hours (8h working day)`. */
export function clockLabel(report: Pick<ResponseTimeReport, "clock" | "workingDaySeconds">): string {
  if (report.clock !== "business" || report.workingDaySeconds === null) return "calendar time";
  return `business hours (working day ${formatDuration(report.workingDaySeconds)})`;
}
