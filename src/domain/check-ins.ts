/**
 * Check-ins between a mentor and a mentee, and whether the program's cadence was kept. Pure.
 *
 * A check-in is any response of the mentor to a request of the mentee (the latency model's), or one
 * the mentor recorded (`/mentorship checkin`, the API). Cadence periods run back to back from the start
 * of the program: period k is [start + k·cadence, start + (k+1)·cadence). Only periods that are over
 * (and inside the program) count towards "kept"; the one under way is not missed yet.
 *
 * A missed period earns the mentor one nudge, due when the period ends, and like every scheduled
 * comment only within two days of that (src/domain/reminders.ts): a late install nudges about nothing stale.
 */
import { MAX_LATENESS_SECONDS } from "./reminders.js";
import { toInstant } from "./program.js";
import type { Instant } from "./types.js";

export interface CheckInStats {
  lastAt: Instant | null;
  /** The longest stretch without a check-in, from the program's start to now (or its end). */
  longestGapSeconds: number;
  /** Cadence periods that are over, and how many of them had a check-in. */
  periods: number;
  periodsKept: number;
}

export interface CadenceInput {
  /** Instants of the pair's check-ins, in any order. */
  checkIns: readonly Instant[];
  window: { from: Instant; to: Instant };
  cadenceSeconds: number;
  now: Instant;
}

function inWindow(input: CadenceInput): number[] {
  const from = Date.parse(input.window.from);
  const end = Math.min(Date.parse(input.now), Date.parse(input.window.to));
  return input.checkIns.map(Date.parse).filter((t) => t >= from && t < end).sort((a, b) => a - b);
}

function periodsOver(input: CadenceInput): number {
  const from = Date.parse(input.window.from);
  const end = Math.min(Date.parse(input.now), Date.parse(input.window.to));
  return end <= from ? 0 : Math.floor((end - from) / (input.cadenceSeconds * 1000));
}

export function checkInStats(input: CadenceInput): CheckInStats {
  const from = Date.parse(input.window.from);
  const end = Math.max(from, Math.min(Date.parse(input.now), Date.parse(input.window.to)));
  const times = inWindow(input);
  let longest = 0;
  let previous = from;
  for (const t of [...times, end]) {
    longest = Math.max(longest, t - previous);
    previous = t;
  }
  const periodMs = input.cadenceSeconds * 1000;
  const periods = periodsOver(input);
  const kept = new Set(times.map((t) => Math.floor((t - from) / periodMs)).filter((k) => k < periods));
  return {
    lastAt: times.length > 0 ? toInstant(times[times.length - 1]!) : null,
    longestGapSeconds: Math.floor(longest / 1000),
    periods,
    periodsKept: kept.size,
  };
}

export interface MissedPeriod {
  from: Instant;
  to: Instant;
}

/** The period just over, when it had no check-in and ended less than two days ago; null otherwise. */
export function missedPeriodToNudge(input: CadenceInput, maxLatenessSeconds: number = MAX_LATENESS_SECONDS): MissedPeriod | null {
  const periods = periodsOver(input);
  if (periods === 0) return null;
  const periodMs = input.cadenceSeconds * 1000;
  const start = Date.parse(input.window.from) + (periods - 1) * periodMs;
  const end = start + periodMs;
  if (Date.parse(input.now) - end >= maxLatenessSeconds * 1000) return null;
  if (inWindow(input).some((t) => t >= start && t < end)) return null;
  return { from: toInstant(start), to: toInstant(end) };
}
