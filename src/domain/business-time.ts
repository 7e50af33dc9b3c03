/**
 * Elapsed time between two instants, in calendar seconds or in business seconds (only the time that
 * falls inside a program's business windows, local to its IANA timezone). Pure: no dependencies
 * beyond `Intl`, which knows the tz database (DST rules included).
 */
import type { BusinessHours, Instant, Weekday } from "./types.js";

export interface Clock {
  timezone: string;
  businessHours?: BusinessHours;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
// Index = day of the week as Date#getUTCDay counts it (0 = Sunday).
const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Parses an ISO-8601 instant to epoch milliseconds; throws on garbage rather than computing with NaN. */
export function instantMs(instant: Instant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  return ms;
}

/**
 * Seconds from `from` to `to`: calendar seconds when the clock has no business hours, otherwise only
 * the seconds inside business windows. `to <= from` gives 0. Whole seconds, rounded down: GitHub
 * timestamps are whole seconds, so in practice nothing is lost.
 *
 * Business-window semantics (documented because DST makes "09:00 local" ambiguous on two nights a year):
 * a window opens at the first instant the local wall clock reads `start` or later, and closes at the
 * first instant it reads `end` or later, on every local calendar date whose weekday is listed. So a
 * window that straddles a DST change is an hour shorter (spring) or longer (autumn); a start inside a
 * skipped hour opens at the jump; a start inside a repeated hour opens at its first occurrence.
 * `end` may be `24:00` (midnight that ends the day).
 */
export function elapsedSeconds(from: Instant, to: Instant, clock: Clock): number {
  const f = instantMs(from);
  const t = instantMs(to);
  if (!(t > f)) return 0;
  if (!clock.businessHours) return Math.floor((t - f) / 1000);
  return Math.floor(businessMs(f, t, zoneState(clock.timezone, clock.businessHours)) / 1000);
}

/**
 * The length of one working day under business hours (`end − start`; 8 h for 09:00–17:00), the unit
 * business durations are read in; null for calendar time. A DST night makes one window an hour longer
 * or shorter: the nominal length is what people mean by "a working day".
 */
export function workingDaySeconds(clock: Clock): number | null {
  if (!clock.businessHours) return null;
  const minutes = (hhmm: string) => {
    const [h, m] = hhmm.split(":").map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  return (minutes(clock.businessHours.end) - minutes(clock.businessHours.start)) * 60;
}

/** Throws a RangeError naming the problem when the timezone or business hours are unusable. */
export function validateClock(clock: Clock): void {
  if (clock.businessHours) zoneState(clock.timezone, clock.businessHours);
  else formatter(clock.timezone);
}

interface ZoneState {
  timezone: string;
  openDays: boolean[];
  startMin: number;
  endMin: number;
  /** local day number (days since 1970-01-01 on the local calendar) → [open, close) in epoch ms, or null. */
  windows: Map<number, readonly [number, number] | null>;
}

const states = new Map<string, ZoneState>();
const MAX_CACHED_WINDOWS = 50_000;

function businessMs(f: number, t: number, st: ZoneState): number {
  // The local date of an instant is its UTC date or a neighbour (offsets stay within ±1 day), so
  // scanning one extra day on each side finds every window that can overlap [f, t).
  const last = Math.floor(t / DAY_MS) + 1;
  let total = 0;
  for (let day = Math.floor(f / DAY_MS) - 1; day <= last; day++) {
    const w = windowOf(st, day);
    if (!w) continue;
    const a = w[0] > f ? w[0] : f;
    const b = w[1] < t ? w[1] : t;
    if (b > a) total += b - a;
  }
  return total;
}

function windowOf(st: ZoneState, day: number): readonly [number, number] | null {
  const cached = st.windows.get(day);
  if (cached !== undefined) return cached;
  let w: readonly [number, number] | null = null;
  // 1970-01-01 (day 0) was a Thursday.
  if (st.openDays[(((day + 4) % 7) + 7) % 7]) {
    const midnight = day * DAY_MS;
    w = [
      firstInstantAtWallTime(st.timezone, midnight + st.startMin * MINUTE_MS),
      firstInstantAtWallTime(st.timezone, midnight + st.endMin * MINUTE_MS),
    ];
  }
  // Bounded so a long-lived process that reports over ever-new dates cannot grow without limit.
  if (st.windows.size >= MAX_CACHED_WINDOWS) st.windows.clear();
  st.windows.set(day, w);
  return w;
}

function zoneState(timezone: string, hours: BusinessHours): ZoneState {
  const key = `${timezone}|${hours.days.join(",")}|${hours.start}|${hours.end}`;
  const existing = states.get(key);
  if (existing) return existing;
  formatter(timezone);
  const startMin = parseHhMm(hours.start, "start");
  const endMin = parseHhMm(hours.end, "end");
  if (endMin <= startMin) throw new RangeError(`business hours end ${hours.end} must be after start ${hours.start}`);
  const openDays = WEEKDAYS.map(() => false);
  for (const d of hours.days) {
    const i = WEEKDAYS.indexOf(d);
    if (i < 0) throw new RangeError(`unknown weekday ${JSON.stringify(d)}`);
    openDays[i] = true;
  }
  const st: ZoneState = { timezone, openDays, startMin, endMin, windows: new Map() };
  states.set(key, st);
  return st;
}

function parseHhMm(value: string, what: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!m || min > 59 || h > 24 || (h === 24 && min !== 0)) {
    throw new RangeError(`business hours ${what} must be HH:MM (00:00-24:00), got ${JSON.stringify(value)}`);
  }
  return h * 60 + min;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** UTC offset (local − UTC) in ms at instant `t`. */
export function offsetMs(timezone: string, t: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of formatter(timezone).formatToParts(t)) {
    switch (p.type) {
      case "year": y = Number(p.value); break;
      case "month": mo = Number(p.value); break;
      case "day": d = Number(p.value); break;
      case "hour": h = Number(p.value); break;
      case "minute": mi = Number(p.value); break;
      case "second": s = Number(p.value); break;
      default: break;
    }
  }
  const wholeSecond = Math.floor(t / 1000) * 1000;
  return Date.UTC(y, mo - 1, d, h, mi, s) - wholeSecond;
}

/**
 * The first instant at which the wall clock in `timezone` reads `local` (wall time expressed as if it were
 * UTC epoch ms) or later. Real zones change offset at most once within two days, so the offsets a day
 * before and a day after are the only candidates.
 */
export function firstInstantAtWallTime(timezone: string, local: number): number {
  const before = offsetMs(timezone, local - DAY_MS);
  const after = offsetMs(timezone, local + DAY_MS);
  const a = local - before;
  const b = local - after;
  const aValid = a + offsetMs(timezone, a) === local;
  const bValid = b + offsetMs(timezone, b) === local;
  // Repeated hour: both readings exist, the earlier one comes first.
  if (aValid && bValid) return Math.min(a, b);
  if (aValid) return a;
  if (bValid) return b;
  // Skipped hour: the wall clock never reads `local`; find the jump, where it first reads later.
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  if (lo + offsetMs(timezone, lo) >= local) return lo;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (mid === lo) break;
    if (mid + offsetMs(timezone, mid) >= local) hi = mid;
    else lo = mid;
  }
  return hi;
}
