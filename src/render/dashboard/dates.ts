/** Dates and times as the program's people read them: in the program's own timezone, named. */
import type { Instant } from "../../domain/types.js";

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(instant: Instant, timezone: string): Record<string, string> {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timezone, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
}

/** `2026-06-16 09:30` in the program's timezone. */
export function localDateTime(instant: Instant, timezone: string): string {
  const p = parts(instant, timezone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function localDay(instant: Instant, timezone: string): string {
  const p = parts(instant, timezone);
  return `${p.year}-${p.month}-${p.day}`;
}
