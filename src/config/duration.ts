/**
 * Durations as admins write them in the roster (`48h`, `7d`, `1d12h`) and as the app prints them in
 * comments (`2d 3h`). Pure functions, seconds in and out.
 */

const UNIT_SECONDS = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const UNIT_ORDER: readonly Unit[] = ["w", "d", "h", "m", "s"];

/** One `<digits><unit>` component, optionally preceded by spaces (sticky: matches must be contiguous). */
const COMPONENT_SOURCE = String.raw`\s*(\d+)\s*([wdhms])`;

/**
 * Parses a duration such as `48h`, `7d`, `30m`, `90s`, `1w`, `0d`, or a combination written from the
 * largest unit to the smallest (`1d12h`, `1w 2d`, `2d 3h` — what {@link formatDuration} prints).
 * Units: `w` weeks, `d` days, `h` hours, `m` minutes, `s` seconds. Returns whole seconds.
 *
 * @throws Error with a readable message for anything else (`"2 days"`, `"-1h"`, `"1h1d"`, `"48"`, `""`).
 */
export function parseDuration(text: string): number {
  const hint = 'use a number and a unit, e.g. "48h", "7d", "30m", "90s", "1w" or "1d12h"';
  if (typeof text !== "string") {
    throw new Error(`${JSON.stringify(text)} is not a duration: ${hint}`);
  }
  const source = text.trim();
  if (source === "") {
    throw new Error(`"" is not a duration: ${hint}`);
  }
  if (/^\d+(\.\d+)?$/.test(source)) {
    throw new Error(`"${source}" is not a duration: the unit is missing (${hint})`);
  }

  let total = 0;
  let lastUnitIndex = -1;
  let end = 0;
  const component = new RegExp(COMPONENT_SOURCE, "y");
  for (let match = component.exec(source); match !== null; match = component.exec(source)) {
    const amount = Number(match[1]);
    const unit = match[2] as Unit;
    const unitIndex = UNIT_ORDER.indexOf(unit);
    if (unitIndex <= lastUnitIndex) {
      throw new Error(
        `"${source}" is not a duration: write each unit once, largest first (e.g. "1d12h", not "12h1d")`,
      );
    }
    lastUnitIndex = unitIndex;
    total += amount * UNIT_SECONDS[unit];
    end = component.lastIndex;
  }
  if (lastUnitIndex === -1 || end !== source.length) {
    throw new Error(`"${source}" is not a duration: ${hint}`);
  }
  if (!Number.isSafeInteger(total)) {
    throw new Error(`"${source}" is too long a duration`);
  }
  return total;
}

/**
 * Formats seconds compactly for comments and reports, with the two most significant units:
 * `0s`, `45s`, `4m 10s`, `5h 20m`, `2d 3h`, `3d`. Above an hour the value is rounded to minutes and
 * above a day to hours (a latency of `2d 3h 14m` reads as `2d 3h`). Negative values get a leading `-`.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return String(seconds);
  }
  if (seconds < 0) {
    return `-${formatDuration(-seconds)}`;
  }
  const precision = seconds >= UNIT_SECONDS.d ? UNIT_SECONDS.h : seconds >= UNIT_SECONDS.h ? UNIT_SECONDS.m : 1;
  const rounded = Math.round(seconds / precision) * precision;
  if (rounded === 0) {
    return "0s";
  }
  const units: readonly Unit[] = ["d", "h", "m", "s"];
  const topIndex = units.findIndex((u) => rounded >= UNIT_SECONDS[u]);
  const top = units[topIndex] as Unit;
  const next = units[topIndex + 1];
  const topAmount = Math.floor(rounded / UNIT_SECONDS[top]);
  let text = `${topAmount}${top}`;
  if (next !== undefined) {
    const nextAmount = Math.floor((rounded - topAmount * UNIT_SECONDS[top]) / UNIT_SECONDS[next]);
    if (nextAmount > 0) {
      text += ` ${nextAmount}${next}`;
    }
  }
  return text;
}
