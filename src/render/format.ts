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

/** `formatDuration`, or an em dash for "no value" (a statistic over zero answered requests). */
export function formatOptionalDuration(seconds: number | null): string {
  return seconds === null ? "—" : formatDuration(seconds);
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
 * `83%`, rounded down so 99.6 % never claims a perfect 100 %. The epsilon absorbs binary
 * floating-point error (0.29 × 100 = 28.999…).
 */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  return `${Math.floor(ratio * 100 + 1e-9)}%`;
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

/** The report's time window in words: `all requests`, `requests since 2026-06-15`, … */
export function reportWindow(report: Pick<ResponseTimeReport, "since" | "until">): string {
  const { since, until } = report;
  if (since === null && until === null) return "all requests";
  if (until === null) return `requests since ${formatDate(since as Instant)}`;
  if (since === null) return `requests until ${formatDate(until)}`;
  return `requests from ${formatDate(since)} to ${formatDate(until)}`;
}
