import { describe, expect, test } from "@jest/globals";
import { checkInStats, missedPeriodToNudge } from "../../src/domain/check-ins.js";

const WEEK = 7 * 86_400;
const window = { from: "2026-06-15T00:00:00Z", to: "2026-10-18T00:00:00Z" };
const base = { window, cadenceSeconds: WEEK };

describe("check-in cadence", () => {
  test("last check-in, longest gap and the share of weekly periods kept, in any order", () => {
    const checkIns = ["2026-06-30T10:00:00Z", "2026-06-16T09:00:00Z", "2026-06-17T12:00:00Z", "2026-07-20T00:00:00Z"];
    for (const order of [checkIns, [...checkIns].reverse()]) {
      expect(checkInStats({ ...base, checkIns: order, now: "2026-07-23T00:00:00Z" })).toEqual({
        lastAt: "2026-07-20T00:00:00Z",
        // 06-30 10:00 to 07-20 00:00
        longestGapSeconds: 19 * 86_400 + 14 * 3600,
        // weeks from 06-15, 06-22, 06-29, 07-06, 07-13 are over; 07-20 is under way
        periods: 5,
        periodsKept: 2,
      });
    }
  });

  test("with no check-in the gap runs from the start, and check-ins outside the program do not count", () => {
    expect(checkInStats({ ...base, checkIns: ["2026-06-01T00:00:00Z"], now: "2026-06-29T00:00:00Z" })).toEqual({
      lastAt: null,
      longestGapSeconds: 14 * 86_400,
      periods: 2,
      periodsKept: 0,
    });
  });

  test("a missed week earns one nudge when it ends, only within two days, never for a kept week", () => {
    const checkIns = ["2026-06-16T09:00:00Z"];
    expect(missedPeriodToNudge({ ...base, checkIns, now: "2026-06-28T23:00:00Z" })).toBeNull();
    expect(missedPeriodToNudge({ ...base, checkIns, now: "2026-06-29T01:00:00Z" })).toEqual({ from: "2026-06-22T00:00:00Z", to: "2026-06-29T00:00:00Z" });
    expect(missedPeriodToNudge({ ...base, checkIns, now: "2026-07-01T01:00:00Z" })).toBeNull();
    expect(missedPeriodToNudge({ ...base, checkIns, now: "2026-06-22T05:00:00Z" })).toBeNull();
    expect(missedPeriodToNudge({ ...base, checkIns, now: "2026-06-14T05:00:00Z" })).toBeNull();
  });
});
