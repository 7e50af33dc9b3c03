/**
 * Milestone status, from the due date, the tasks linked to the milestone, and the clock.
 *
 * All calendar arithmetic happens in the program's timezone: a milestone "due 2026-08-22" in
 * `America/Sao_Paulo` is due until the end of that day there.
 *
 * Rules, first match wins:
 *  1. **done** — at least one task and every task done (`tasksTotal > 0 && tasksDone >= tasksTotal`),
 *     whether or not the due date has passed.
 *  2. **overdue** — the due day is over in the program timezone (`daysUntil(due) < 0`) and not done.
 *  3. **at risk** — not done and either
 *     - the due date is at most `AT_RISK_WITHIN_DAYS` (5) calendar days away (`0 ≤ daysUntil ≤ 5`,
 *       so "due today" counts), or
 *     - the share of tasks done is more than `PACE_MARGIN` (25 percentage points) behind the share of
 *       time elapsed between the start of the program's first day and the end of the due day:
 *       `done/total < elapsed/span − 0.25` (strictly less: exactly 25 points behind is still on track).
 *  4. **on track** — otherwise.
 *
 * A milestone with no tasks counts as 0 % done: it is never "done", turns "at risk" once a quarter of
 * its time has passed or it is 5 days away, and "overdue" after its due date. Nothing tracked against
 * a milestone is itself the risk worth showing; linking tasks to it clears the signal.
 */
import { offsetMs } from "./business-time.js";
import type { CalendarDate, Instant } from "./types.js";

export type MilestoneStatus = "done" | "on track" | "at risk" | "overdue";

const AT_RISK_WITHIN_DAYS = 5;
/** In percentage points, so the pace comparison stays in exact integer arithmetic. */
const PACE_MARGIN_POINTS = 25;

const DAY_MS = 86_400_000;

export interface MilestoneStatusInput {
  due: CalendarDate;
  now: Instant;
  tasksDone: number;
  tasksTotal: number;
  programStarts: CalendarDate;
  /** IANA name, e.g. `UTC`, `Europe/Warsaw`. */
  timezone: string;
}

export function milestoneStatus(input: MilestoneStatusInput): MilestoneStatus {
  const { due, now, tasksDone, tasksTotal, programStarts, timezone } = input;
  for (const [name, value] of [["tasksDone", tasksDone], ["tasksTotal", tasksTotal]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  if (tasksTotal > 0 && tasksDone >= tasksTotal) return "done";

  const days = daysUntil(due, now, timezone);
  if (days < 0) return "overdue";
  if (days <= AT_RISK_WITHIN_DAYS) return "at risk";

  const start = startOfDay(programStarts, timezone);
  const end = startOfDay(addDays(due, 1), timezone);
  const span = end - start;
  if (span > 0) {
    const elapsed = Math.min(Math.max(parseInstant(now) - start, 0), span);
    // done/total < elapsed/span − margin/100, multiplied out to stay exact:
    // 100·done·span < (100·elapsed − margin·span)·total  (with total = 0 meaning 0 % done).
    const behind = 100 * elapsed - PACE_MARGIN_POINTS * span;
    const atRisk = tasksTotal === 0 ? behind > 0 : 100 * Math.min(tasksDone, tasksTotal) * span < behind * tasksTotal;
    if (atRisk) return "at risk";
  }
  return "on track";
}

/**
 * Calendar days from today (in `timezone`) to `due`: 0 on the due day, 1 the day before, −1 the day
 * after. Whole days, so a reminder "due in 5 days" fires on the same local date wherever the job runs.
 */
export function daysUntil(due: CalendarDate, now: Instant, timezone: string): number {
  const today = localDate(parseInstant(now), timezone);
  return Math.round((dateToUtcMs(due) - dateToUtcMs(today)) / DAY_MS);
}

/** The calendar date of an instant in a timezone. */
export function localDate(epochMs: number, timezone: string): CalendarDate {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return new Date(wholeSecond + offsetMs(timezone, epochMs)).toISOString().slice(0, 10);
}

/**
 * The first instant of a calendar date in a timezone. Where midnight does not exist (a DST jump at
 * 00:00, e.g. America/Santiago) that is the first instant that does.
 */
export function startOfDay(date: CalendarDate, timezone: string): number {
  const wall = dateToUtcMs(date);
  let t = wall - offsetMs(timezone, wall);
  t = wall - offsetMs(timezone, t);
  // Correct for offsets that change within a few hours of midnight.
  while (localDate(t, timezone) < date) t += 15 * 60_000;
  while (localDate(t - 15 * 60_000, timezone) === date) t -= 15 * 60_000;
  return t;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(dateToUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

function parseInstant(instant: Instant): number {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  return t;
}

function dateToUtcMs(date: CalendarDate): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    // Round-tripping rejects 2026-02-30 instead of silently rolling it into March.
    if (new Date(t).toISOString().slice(0, 10) === date) return t;
  }
  throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
}
