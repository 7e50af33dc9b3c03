import { describe, expect, test } from "@jest/globals";
import {
  addDays,
  daysUntil,
  localDate,
  milestoneStatus,
  startOfDay,
  type MilestoneStatusInput,
} from "../../src/domain/milestones.js";

// Program starts 2026-06-01, milestone due 2026-06-30: 30 whole days from the first instant of the
// program to the end of the due day, so elapsed shares are exact.
const base: MilestoneStatusInput = {
  due: "2026-06-30",
  now: "2026-06-16T00:00:00Z",
  tasksDone: 0,
  tasksTotal: 4,
  programStarts: "2026-06-01",
  timezone: "UTC",
};
const status = (over: Partial<MilestoneStatusInput>) => milestoneStatus({ ...base, ...over });

describe("milestoneStatus", () => {
  test("done: every task done, before or after the due date", () => {
    expect(status({ tasksDone: 4, tasksTotal: 4 })).toBe("done");
    expect(status({ tasksDone: 4, tasksTotal: 4, now: "2026-09-01T00:00:00Z" })).toBe("done");
    expect(status({ tasksDone: 5, tasksTotal: 4 })).toBe("done");
  });

  test("no tasks is never done", () => {
    expect(status({ tasksDone: 0, tasksTotal: 0, now: "2026-06-02T00:00:00Z" })).toBe("on track");
    expect(status({ tasksDone: 0, tasksTotal: 0, now: "2026-07-01T00:00:00Z" })).toBe("overdue");
  });

  test("overdue starts when the due day ends in the program timezone", () => {
    expect(status({ tasksDone: 3, now: "2026-06-30T23:59:59.999Z" })).toBe("at risk");
    expect(status({ tasksDone: 3, now: "2026-07-01T00:00:00Z" })).toBe("overdue");
    // São Paulo is UTC−3: the due day ends at 03:00 UTC the next day.
    const sp = { timezone: "America/Sao_Paulo", tasksDone: 3 };
    expect(status({ ...sp, now: "2026-07-01T02:59:59Z" })).toBe("at risk");
    expect(status({ ...sp, now: "2026-07-01T03:00:00Z" })).toBe("overdue");
    // Tokyo is UTC+9: the due day is over at 15:00 UTC on the due date.
    const tk = { timezone: "Asia/Tokyo", tasksDone: 3 };
    expect(status({ ...tk, now: "2026-06-30T14:59:59Z" })).toBe("at risk");
    expect(status({ ...tk, now: "2026-06-30T15:00:00Z" })).toBe("overdue");
  });

  test("at risk within 5 days of the due date unless done", () => {
    // 3 of 4 done is well ahead of pace, so only the window matters here.
    expect(status({ tasksDone: 3, now: "2026-06-24T23:59:59Z" })).toBe("on track"); // 6 days left
    expect(status({ tasksDone: 3, now: "2026-06-25T00:00:00Z" })).toBe("at risk"); // 5 days left
    expect(status({ tasksDone: 3, now: "2026-06-30T12:00:00Z" })).toBe("at risk"); // due today
  });

  test("at risk when more than 25 points behind the time elapsed", () => {
    // Half the time has elapsed (15 of 30 days): 25 % done is exactly 25 points behind → on track.
    expect(status({ tasksDone: 1, tasksTotal: 4 })).toBe("on track");
    expect(status({ tasksDone: 1, tasksTotal: 5 })).toBe("at risk"); // 20 %
    expect(status({ tasksDone: 1, tasksTotal: 4, now: "2026-06-16T00:00:00.001Z" })).toBe("at risk");
  });

  test("nothing done is fine until a quarter of the time has passed", () => {
    // 7.5 of 30 days = 25 % elapsed.
    expect(status({ tasksDone: 0, tasksTotal: 4, now: "2026-06-08T12:00:00Z" })).toBe("on track");
    expect(status({ tasksDone: 0, tasksTotal: 4, now: "2026-06-08T12:00:00.001Z" })).toBe("at risk");
    expect(status({ tasksDone: 0, tasksTotal: 0, now: "2026-06-08T12:00:00Z" })).toBe("on track");
    expect(status({ tasksDone: 0, tasksTotal: 0, now: "2026-06-08T12:00:00.001Z" })).toBe("at risk");
  });

  test("before the program starts nothing is behind", () => {
    expect(status({ tasksDone: 0, now: "2026-05-01T00:00:00Z" })).toBe("on track");
  });

  test("pace uses the program timezone for the start and end of the span", () => {
    // In UTC+9 the span runs from 2026-05-31T15:00Z to 2026-06-30T15:00Z; the midpoint is 2026-06-15T15:00Z.
    const tk = { timezone: "Asia/Tokyo", tasksDone: 1, tasksTotal: 4 };
    expect(status({ ...tk, now: "2026-06-15T15:00:00Z" })).toBe("on track");
    expect(status({ ...tk, now: "2026-06-15T15:00:01Z" })).toBe("at risk");
  });

  test("rejects bad input", () => {
    expect(() => status({ tasksDone: -1 })).toThrow(RangeError);
    expect(() => status({ tasksTotal: 1.5 })).toThrow(RangeError);
    expect(() => status({ due: "2026-02-30" })).toThrow(RangeError);
    expect(() => status({ due: "30/06/2026" })).toThrow(RangeError);
    expect(() => status({ now: "yesterday" })).toThrow(RangeError);
    expect(() => status({ timezone: "Mars/Olympus" })).toThrow(RangeError);
  });
});

describe("calendar helpers", () => {
  test("daysUntil counts local calendar days", () => {
    expect(daysUntil("2026-08-22", "2026-08-22T00:00:00Z", "UTC")).toBe(0);
    expect(daysUntil("2026-08-22", "2026-08-22T23:59:59Z", "UTC")).toBe(0);
    expect(daysUntil("2026-08-22", "2026-08-17T10:00:00Z", "UTC")).toBe(5);
    expect(daysUntil("2026-08-22", "2026-08-23T00:00:00Z", "UTC")).toBe(-1);
    // 23:30 UTC on the 21st is already the 22nd in Warsaw (UTC+2 in summer).
    expect(daysUntil("2026-08-22", "2026-08-21T23:30:00Z", "Europe/Warsaw")).toBe(0);
    expect(daysUntil("2026-08-22", "2026-08-22T02:00:00Z", "America/Los_Angeles")).toBe(1);
    // Across a DST change the count stays whole.
    expect(daysUntil("2026-11-02", "2026-10-20T12:00:00Z", "Europe/Warsaw")).toBe(13);
  });

  test("startOfDay is the first local instant of the date", () => {
    expect(new Date(startOfDay("2026-06-01", "UTC")).toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(new Date(startOfDay("2026-06-01", "Europe/Warsaw")).toISOString()).toBe("2026-05-31T22:00:00.000Z");
    expect(new Date(startOfDay("2026-01-01", "Asia/Kathmandu")).toISOString()).toBe("2025-12-31T18:15:00.000Z");
    // DST starts in Warsaw at 02:00 on 2026-03-29: midnight still exists, at UTC+1.
    expect(new Date(startOfDay("2026-03-29", "Europe/Warsaw")).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    for (const [date, tz] of [
      ["2026-09-06", "America/Santiago"],
      ["2026-03-08", "America/New_York"],
      ["2026-11-01", "America/New_York"],
      ["2026-10-04", "Australia/Lord_Howe"],
    ] as const) {
      const t = startOfDay(date, tz);
      expect(localDate(t, tz)).toBe(date);
      expect(localDate(t - 1000, tz)).toBe(addDays(date, -1));
    }
  });

  test("addDays", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
  });
});
