import { describe, expect, test } from "@jest/globals";
import { parseCrontab } from "graphile-worker";
import { dueMoment, milestoneMoments, overdueNudgeDue, silentFor } from "../../src/domain/reminders.js";
import { claimKey } from "../../src/jobs/tracking-issue.js";
import { CRONTAB } from "../../src/jobs/worker.js";
import { milestoneMarker } from "../../src/render/milestone.js";
import { silenceNudgeMarker } from "../../src/render/nudge.js";

const DAY = 86_400;

describe("milestoneMoments", () => {
  test("reminders start the local day N days before; the after-due comment starts the day after", () => {
    expect(milestoneMoments("2026-08-22", "UTC", [10 * DAY, 5 * DAY, 0])).toEqual([
      { offsetDays: 10, at: "2026-08-12T00:00:00Z" },
      { offsetDays: 5, at: "2026-08-17T00:00:00Z" },
      { offsetDays: 0, at: "2026-08-22T00:00:00Z" },
      { offsetDays: "after", at: "2026-08-23T00:00:00Z" },
    ]);
  });

  test("in the program's timezone, across a DST change", () => {
    // Europe/Warsaw leaves summer time on 2026-10-25: the day before the due date is 25 h long.
    expect(milestoneMoments("2026-10-26", "Europe/Warsaw", [DAY, 0])).toEqual([
      { offsetDays: 1, at: "2026-10-24T22:00:00Z" },
      { offsetDays: 0, at: "2026-10-25T23:00:00Z" },
      { offsetDays: "after", at: "2026-10-26T23:00:00Z" },
    ]);
  });

  test("partial days are labelled with the whole days left; duplicates and negatives collapse", () => {
    expect(milestoneMoments("2026-08-22", "UTC", [36 * 3600, 2 * DAY, -DAY])).toEqual([
      { offsetDays: 2, at: "2026-08-20T00:00:00Z" },
      { offsetDays: "after", at: "2026-08-23T00:00:00Z" },
    ]);
  });
});

describe("dueMoment", () => {
  const moments = milestoneMoments("2026-08-22", "UTC", [10 * DAY, 5 * DAY, 0]);

  test("nothing before the first moment", () => {
    expect(dueMoment(moments, "2026-08-11T23:59:59Z")).toBeNull();
  });

  test("a moment is due from its instant for just under two days", () => {
    expect(dueMoment(moments, "2026-08-12T00:00:00Z")?.offsetDays).toBe(10);
    expect(dueMoment(moments, "2026-08-13T23:59:59Z")?.offsetDays).toBe(10);
    expect(dueMoment(moments, "2026-08-14T00:00:00Z")).toBeNull();
  });

  test("when two have come, only the latest is posted", () => {
    // The 0d reminder (22nd) was missed; on the 23rd only the after-due comment is due.
    expect(dueMoment(moments, "2026-08-23T01:00:00Z")?.offsetDays).toBe("after");
  });

  test("a late install posts nothing stale", () => {
    expect(dueMoment(moments, "2026-08-15T12:00:00Z")).toBeNull();
    expect(dueMoment(moments, "2026-09-30T12:00:00Z")).toBeNull();
  });
});

describe("silentFor", () => {
  const window = { from: "2026-06-15T00:00:00Z", to: "2026-10-18T00:00:00Z" };

  test("silent from the last activity, or from the program start", () => {
    expect(silentFor({ window, lastActivityAt: "2026-07-01T09:00:00Z", silenceSeconds: 7 * DAY, now: "2026-07-08T09:00:00Z" })).toBe(7 * DAY);
    expect(silentFor({ window, lastActivityAt: "2026-07-01T09:00:00Z", silenceSeconds: 7 * DAY, now: "2026-07-08T08:59:59Z" })).toBeNull();
    expect(silentFor({ window, lastActivityAt: null, silenceSeconds: 7 * DAY, now: "2026-06-22T00:00:00Z" })).toBe(7 * DAY);
  });

  test("never outside the program", () => {
    expect(silentFor({ window, lastActivityAt: null, silenceSeconds: 7 * DAY, now: "2026-10-18T00:00:00Z" })).toBeNull();
    expect(silentFor({ window, lastActivityAt: null, silenceSeconds: 0, now: "2026-06-14T00:00:00Z" })).toBeNull();
  });
});

describe("overdueNudgeDue", () => {
  test("strictly past the SLA, and not more than two days past it", () => {
    expect(overdueNudgeDue(48 * 3600, 48 * 3600)).toBe(false);
    expect(overdueNudgeDue(48 * 3600 + 60, 48 * 3600)).toBe(true);
    expect(overdueNudgeDue(96 * 3600 - 60, 48 * 3600)).toBe(true);
    expect(overdueNudgeDue(96 * 3600, 48 * 3600)).toBe(false);
  });
});

describe("claimKey", () => {
  test("is the marker's kind:key, in its own namespace under DRY_RUN", () => {
    const m = milestoneMarker("amp-2026", "cli", "midterm", 10);
    expect(claimKey({ dryRun: false }, m)).toBe("milestone:amp-2026/cli/midterm/10");
    expect(claimKey({ dryRun: true }, m)).toBe("dry-run:milestone:amp-2026/cli/midterm/10");
    expect(claimKey({ dryRun: false }, silenceNudgeMarker("amp-2026", "cli", 101, null))).toBe(
      "nudge-silence:amp-2026/cli/101/never",
    );
    expect(() => claimKey({ dryRun: false }, "no marker")).toThrow(TypeError);
  });
});

describe("CRONTAB", () => {
  test("parses, with one job key per line", () => {
    const items = parseCrontab(CRONTAB);
    expect(items.map((i) => [i.task, i.options.jobKey])).toEqual([
      ["milestone-comments", "cron:milestone-comments"],
      ["nudges", "cron:nudges"],
      ["lifecycle-reminders", "cron:lifecycle-reminders"],
      ["refresh-progress", "cron:refresh-progress"],
      ["reconcile", "cron:reconcile"],
      ["redeliver-failed", "cron:redeliver-failed"],
      ["trim-payloads", "cron:trim-payloads"],
    ]);
  });
});
