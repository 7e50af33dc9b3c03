/**
 * When the app's scheduled comments are due. Pure: the jobs pass the clock in.
 *
 * Decisions (also in the README):
 * - A reminder `Nd` before a milestone is due at the start of the local day N days before the due
 *   date, in the program's timezone, so "due in N days" is true all that day wherever the job runs.
 *   A reminder that is not a whole number of days (`36h`) is due that long before the due day
 *   starts, and is labelled with the whole days left at that moment. Two reminders that would carry
 *   the same label are one reminder.
 * - The after-due comment is due when the due day is over in the program's timezone.
 * - Only the latest moment that has come and is less than `MAX_LATENESS_SECONDS` (2 days) old is
 *   posted. An app installed (or a worker that was down) after a moment has passed therefore posts
 *   nothing stale, and never several reminders of one milestone at once: a reminder more than two
 *   days late no longer says anything true ("due in 10 days" when it is due in 6).
 * - A silent mentee: no activity for the silence SLA, measured from their last activity in the
 *   program (or from its start when there is none), only while the program runs.
 * - An overdue request earns its nudge only within 2 days of becoming overdue, for the same reason:
 *   a late install must not dump a nudge for every request that went unanswered weeks ago. Those
 *   still show as overdue in the progress comment.
 */
import { daysUntil, startOfDay, addDays } from "./milestones.js";
import { toInstant } from "./program.js";
import type { CalendarDate, Instant } from "./types.js";

export const MAX_LATENESS_SECONDS = 2 * 86_400;

export interface MilestoneMoment {
  /** Whole days before the due date (0 = the due day), or "after" the due date. */
  offsetDays: number | "after";
  at: Instant;
}

/** Every scheduled comment of one milestone, in time order. Negative offsets are ignored. */
export function milestoneMoments(due: CalendarDate, timezone: string, reminderSeconds: readonly number[]): MilestoneMoment[] {
  const dueStart = startOfDay(due, timezone);
  const byOffset = new Map<number, number>();
  for (const seconds of reminderSeconds) {
    if (!Number.isFinite(seconds) || seconds < 0) continue;
    // Whole days go by the calendar, so a DST change in between still lands on local midnight.
    const at = seconds % 86_400 === 0 ? startOfDay(addDays(due, -seconds / 86_400), timezone) : dueStart - seconds * 1000;
    const offsetDays = daysUntil(due, toInstant(at), timezone);
    const earlier = byOffset.get(offsetDays);
    if (earlier === undefined || at < earlier) byOffset.set(offsetDays, at);
  }
  const moments: Array<{ offsetDays: number | "after"; ms: number }> = [...byOffset].map(([offsetDays, ms]) => ({ offsetDays, ms }));
  moments.push({ offsetDays: "after", ms: startOfDay(addDays(due, 1), timezone) });
  return moments.sort((a, b) => a.ms - b.ms).map(({ offsetDays, ms }) => ({ offsetDays, at: toInstant(ms) }));
}

/** The moment to post now, if any: the latest one that has come and is not more than 2 days old. */
export function dueMoment(
  moments: readonly MilestoneMoment[],
  now: Instant,
  maxLatenessSeconds: number = MAX_LATENESS_SECONDS,
): MilestoneMoment | null {
  const t = Date.parse(now);
  let found: MilestoneMoment | null = null;
  for (const m of moments) {
    const at = Date.parse(m.at);
    if (at <= t && t - at < maxLatenessSeconds * 1000 && (found === null || at >= Date.parse(found.at))) found = m;
  }
  return found;
}

export interface SilenceCheck {
  /** The program's window; no nudges outside it. */
  window: { from: Instant; to: Instant };
  lastActivityAt: Instant | null;
  silenceSeconds: number;
  now: Instant;
}

/** Seconds the mentee has been silent when that earns a nudge now; null otherwise. */
export function silentFor(check: SilenceCheck): number | null {
  const now = Date.parse(check.now);
  if (now < Date.parse(check.window.from) || now >= Date.parse(check.window.to)) return null;
  const since = Date.parse(check.lastActivityAt ?? check.window.from);
  const silent = Math.floor((now - since) / 1000);
  return silent >= check.silenceSeconds ? silent : null;
}

/** Whether a waiting request earns its overdue nudge now (`ageSeconds` on the program's clock). */
export function overdueNudgeDue(ageSeconds: number, slaSeconds: number, maxLatenessSeconds: number = MAX_LATENESS_SECONDS): boolean {
  return ageSeconds > slaSeconds && ageSeconds - slaSeconds < maxLatenessSeconds;
}
