import { describe, expect, it } from "@jest/globals";
import { elapsedSeconds, validateClock, type Clock } from "../../src/domain/business-time.js";
import type { BusinessHours, Weekday } from "../../src/domain/types.js";
import { instant, seededRandom } from "../helpers/events.js";

const WEEKDAYS: BusinessHours["days"] = ["mon", "tue", "wed", "thu", "fri"];
const office = (timezone: string, start = "09:00", end = "17:00", days = WEEKDAYS): Clock => ({
  timezone,
  businessHours: { days, start, end },
});
const ALL_WEEK: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const H = 3600;

const e = (from: string, to: string, clock: Clock) => elapsedSeconds(instant(from), instant(to), clock);

describe("elapsedSeconds, calendar clock", () => {
  it("counts every second between the instants", () => {
    expect(e("2026-06-16 09:00", "2026-06-18 10:30", { timezone: "UTC" })).toBe(2 * 86400 + 1.5 * H);
    expect(e("2026-06-16 09:00", "2026-06-16 09:00:59", { timezone: "Europe/Warsaw" })).toBe(59);
  });

  it("is 0 when to is not after from", () => {
    expect(e("2026-06-16 09:00", "2026-06-16 09:00", { timezone: "UTC" })).toBe(0);
    expect(e("2026-06-16 09:00", "2026-06-15 09:00", { timezone: "UTC" })).toBe(0);
    expect(e("2026-06-16 10:00", "2026-06-16 09:00", office("UTC"))).toBe(0);
  });

  it("rounds fractional seconds down", () => {
    expect(elapsedSeconds("2026-06-16T09:00:00.900Z", "2026-06-16T09:00:02.100Z", { timezone: "UTC" })).toBe(1);
  });
});

describe("elapsedSeconds, business hours in UTC (Mon-Fri 09:00-17:00)", () => {
  const utc = office("UTC");
  it.each([
    ["inside one window", "2026-06-16 10:00", "2026-06-16 11:30", 1.5 * H],
    ["Friday 16:00 to Monday 10:00 skips the weekend", "2026-06-19 16:00", "2026-06-22 10:00", 2 * H],
    ["opened on Saturday: the clock starts Monday 09:00", "2026-06-20 12:00", "2026-06-22 09:30", 0.5 * H],
    ["opened before hours", "2026-06-16 06:00", "2026-06-16 10:00", 1 * H],
    ["opened after hours", "2026-06-16 18:00", "2026-06-17 09:15", 0.25 * H],
    ["wholly outside hours", "2026-06-16 17:00", "2026-06-17 09:00", 0],
    ["wholly in a weekend", "2026-06-20 00:00", "2026-06-22 00:00", 0],
    ["four weeks, Monday to Monday", "2026-06-15 09:00", "2026-07-13 09:00", 4 * 40 * H],
    ["a full day", "2026-06-16 00:00", "2026-06-17 00:00", 8 * H],
  ])("%s", (_name, from, to, expected) => {
    expect(e(from, to, utc)).toBe(expected);
  });

  it("honours a custom working week (Sun-Thu)", () => {
    const sunThu = office("UTC", "09:00", "17:00", ["sun", "mon", "tue", "wed", "thu"]);
    // Thu 2026-06-18 16:00 → Sun 2026-06-21 10:00: 1 h Thursday + 1 h Sunday.
    expect(e("2026-06-18 16:00", "2026-06-21 10:00", sunThu)).toBe(2 * H);
  });

  it("accepts 24:00 as the end of the day", () => {
    expect(e("2026-06-16 00:00", "2026-06-18 00:00", office("UTC", "20:00", "24:00"))).toBe(8 * H);
  });
});

describe("elapsedSeconds across DST changes", () => {
  it("Europe/Warsaw spring forward (Sun 2026-03-29): Fri 16:00 CET → Mon 10:00 CEST is 2 business hours", () => {
    // 15:00Z (16:00 CET) → 08:00Z (10:00 CEST). A fixed +01:00 offset would see Monday 09:00 and count 1 h.
    expect(elapsedSeconds("2026-03-27T15:00:00Z", "2026-03-30T08:00:00Z", office("Europe/Warsaw"))).toBe(2 * H);
  });

  it("Europe/Warsaw fall back (Sun 2026-10-25): Fri 16:00 CEST → Mon 10:00 CET is 2 business hours", () => {
    expect(elapsedSeconds("2026-10-23T14:00:00Z", "2026-10-26T09:00:00Z", office("Europe/Warsaw"))).toBe(2 * H);
  });

  it("a whole local day is 23 h in spring and 25 h in autumn (Europe/Warsaw)", () => {
    const always = office("Europe/Warsaw", "00:00", "24:00", ALL_WEEK);
    expect(elapsedSeconds("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", always)).toBe(23 * H);
    expect(elapsedSeconds("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", always)).toBe(25 * H);
    // Same span asked in UTC day bounds: Sat 00:00Z–Mon 00:00Z is 48 h whatever the local clock does.
    expect(elapsedSeconds("2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", always)).toBe(48 * H);
  });

  it("a window straddling the change is an hour shorter or longer (00:00-23:00 local)", () => {
    const long = office("Europe/Warsaw", "00:00", "23:00", ALL_WEEK);
    // 2026-03-29: 00:00 CET (03-28 23:00Z) → 23:00 CEST (21:00Z) is 22 h.
    expect(elapsedSeconds("2026-03-28T23:00:00Z", "2026-03-29T21:00:00Z", long)).toBe(22 * H);
    expect(elapsedSeconds("2026-10-24T22:00:00Z", "2026-10-25T22:00:00Z", long)).toBe(24 * H);
  });

  it("a window opening inside the skipped hour opens at the jump; inside the repeated hour, at its first occurrence", () => {
    const early = office("Europe/Warsaw", "02:30", "10:00", ALL_WEEK);
    // 2026-03-29: 02:30 never happens; the wall clock jumps to 03:00 CEST at 01:00Z; closes 10:00 CEST = 08:00Z.
    expect(elapsedSeconds("2026-03-29T00:00:00Z", "2026-03-29T12:00:00Z", early)).toBe(7 * H);
    // The day before: 02:30 CET = 01:30Z to 10:00 CET = 09:00Z.
    expect(elapsedSeconds("2026-03-28T00:00:00Z", "2026-03-28T12:00:00Z", early)).toBe(7.5 * H);
    // 2026-10-25: first 02:30 is CEST = 00:30Z; 10:00 CET = 09:00Z.
    expect(elapsedSeconds("2026-10-25T00:00:00Z", "2026-10-25T12:00:00Z", early)).toBe(8.5 * H);
  });

  it("America/New_York spring forward (Sun 2026-03-08) and fall back (Sun 2026-11-01)", () => {
    const ny = office("America/New_York");
    // Fri 16:30 EST (21:30Z) → Mon 09:30 EDT (13:30Z): 30 min + 30 min.
    expect(elapsedSeconds("2026-03-06T21:30:00Z", "2026-03-09T13:30:00Z", ny)).toBe(1 * H);
    // Fri 16:00 EDT (20:00Z) → Mon 10:00 EST (15:00Z): 1 h + 1 h.
    expect(elapsedSeconds("2026-10-30T20:00:00Z", "2026-11-02T15:00:00Z", ny)).toBe(2 * H);
    // Monday after spring forward: 09:00-17:00 EDT is 13:00Z-21:00Z.
    expect(elapsedSeconds("2026-03-09T12:00:00Z", "2026-03-09T14:00:00Z", ny)).toBe(1 * H);
  });

  it("a half-hour zone (Asia/Kolkata, UTC+05:30)", () => {
    // Tue 09:00 IST = 03:30Z; 03:00Z → 04:00Z holds 30 business minutes.
    expect(elapsedSeconds("2026-06-16T03:00:00Z", "2026-06-16T04:00:00Z", office("Asia/Kolkata"))).toBe(0.5 * H);
  });
});

describe("clock validation", () => {
  it.each<[string, Clock]>([
    ["unknown timezone", office("Mars/Olympus")],
    ["end before start", office("UTC", "17:00", "09:00")],
    ["end equal to start", office("UTC", "09:00", "09:00")],
    ["malformed time", office("UTC", "9:00", "17:00")],
    ["minutes out of range", office("UTC", "09:60", "17:00")],
    ["past 24:00", office("UTC", "09:00", "24:30")],
    ["unknown weekday", office("UTC", "09:00", "17:00", ["mon", "funday" as Weekday])],
  ])("rejects %s", (_name, clock) => {
    expect(() => validateClock(clock)).toThrow(RangeError);
    expect(() => elapsedSeconds("2026-06-16T09:00:00Z", "2026-06-17T09:00:00Z", clock)).toThrow(RangeError);
  });

  it("rejects a garbage instant", () => {
    expect(() => elapsedSeconds("yesterday", "2026-06-17T09:00:00Z", { timezone: "UTC" })).toThrow(RangeError);
  });
});

// Independent reference: walk minute by minute, reading the wall clock via Intl (offsets cached per
// 15-minute UTC bucket, which no real DST change splits), and count the minutes inside the window.
const MIN = 60_000;
function referenceSeconds(fromMs: number, toMs: number, timezone: string, hours: BusinessHours): number {
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    hourCycle: "h23",
    weekday: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const start = toMin(hours.start);
  const end = toMin(hours.end);
  const bucketOffset = new Map<number, number>();
  const offsetAt = (t: number) => {
    const bucket = Math.floor(t / (15 * MIN));
    let off = bucketOffset.get(bucket);
    if (off === undefined) {
      const at = bucket * 15 * MIN;
      const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
      off = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - at;
      bucketOffset.set(bucket, off);
    }
    return off;
  };
  const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
  let minutes = 0;
  for (let t = fromMs; t < toMs; t += MIN) {
    const wall = new Date(t + offsetAt(t));
    const minuteOfDay = wall.getUTCHours() * 60 + wall.getUTCMinutes();
    if (hours.days.includes(days[wall.getUTCDay()] as Weekday) && minuteOfDay >= start && minuteOfDay < end) minutes++;
  }
  return minutes * 60;
}

describe("elapsedSeconds against a minute-by-minute reference", () => {
  // Zones without midnight DST changes; windows avoid 01:00-04:00 local, where the reference's
  // wall-clock membership and the documented "first instant the clock reads HH:MM" part ways.
  const zones = ["UTC", "Europe/Warsaw", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/St_Johns"];
  const transitions = ["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01"].map((d) =>
    Date.parse(`${d}T00:00:00Z`),
  );
  const random = seededRandom(20260615);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

  const cases = Array.from({ length: 48 }, (_, i) => {
    const timezone = pick(zones);
    const startMin = i % 6 === 0 ? 0 : 300 + Math.floor(random() * 420); // 00:00 or 05:00-11:59
    const endMin = i % 6 === 0 ? 1440 : 720 + Math.floor(random() * 720); // 24:00 or 12:00-23:59
    const days = ALL_WEEK.filter(() => random() < 0.7);
    // Half the intervals start shortly before a DST change, half anywhere in 2026.
    const base = i % 2 === 0 ? pick(transitions) - Math.floor(random() * 10 * 1440) * MIN : Date.parse("2026-01-01T00:00:00Z");
    const fromMs = i % 2 === 0 ? base : base + Math.floor(random() * 330 * 1440) * MIN;
    const toMs = fromMs + Math.floor(random() * 35 * 1440) * MIN;
    return { timezone, hours: { days, start: hhmm(startMin), end: hhmm(endMin) } as BusinessHours, fromMs, toMs };
  });

  it.each(cases.map((c) => [`${c.timezone} ${c.hours.days.join(",")} ${c.hours.start}-${c.hours.end} ${new Date(c.fromMs).toISOString()} +${Math.round((c.toMs - c.fromMs) / 86_400_000)}d`, c] as const))(
    "%s",
    (_name, c) => {
      const got = elapsedSeconds(new Date(c.fromMs).toISOString(), new Date(c.toMs).toISOString(), {
        timezone: c.timezone,
        businessHours: c.hours,
      });
      expect(got).toBe(referenceSeconds(c.fromMs, c.toMs, c.timezone, c.hours));
    },
  );
});

describe("speed", () => {
  it("answers 100k multi-week business-time queries quickly", () => {
    const clock = office("Europe/Warsaw");
    const random = seededRandom(7);
    const base = Date.parse("2026-01-01T00:00:00Z");
    const queries = Array.from({ length: 100_000 }, () => {
      const f = base + Math.floor(random() * 300 * 86400) * 1000;
      return [new Date(f).toISOString(), new Date(f + Math.floor(random() * 28 * 86400) * 1000).toISOString()] as const;
    });
    const started = performance.now();
    let sum = 0;
    for (const [f, t] of queries) sum += elapsedSeconds(f, t, clock);
    const ms = performance.now() - started;
    expect(sum).toBeGreaterThan(0);
    // Measured ~0.8 s here; the bound leaves room for slow CI, not for a per-minute loop (hundreds of times slower).
    expect(ms).toBeLessThan(5000);
  });
});
