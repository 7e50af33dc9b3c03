import { describe, expect, test } from "@jest/globals";
import { computeStats } from "../../src/domain/stats.js";
import {
  latencyDistribution,
  shortDuration,
  tasksDoneByWeek,
  trendRequestOf,
  weeklyLatency,
  weekStartOf,
  type DoneTask,
} from "../../src/domain/trends.js";
import type { DerivedRequest } from "../../src/domain/types.js";
import { histogram, lineChart } from "../../src/render/charts/index.js";
import { latencyDistributionChart, tasksDoneChart, weeklyLatencyChart } from "../../src/render/trend-charts.js";
import { seriesOf, tableOf } from "../helpers/chart-markup.js";
import { answeredRequest, waitingRequest } from "../helpers/reports.js";
import { mentee, mentee2, mentor, mentor2 } from "../helpers/scenario.js";

const H = 3600;
const SLA = 48 * H;
const BERLIN = "Europe/Berlin";

function closedUnanswered(r: DerivedRequest, at: string): DerivedRequest {
  return { ...r, closedUnansweredAt: at };
}

/** Deterministic shuffles: the same items in several orders. */
function orders<T>(items: T[]): T[][] {
  return [items, [...items].reverse(), items.map((_, i) => items[(i * 5 + 3) % items.length]!)].filter((o) => new Set(o).size === items.length);
}

describe("weekStartOf", () => {
  test.each([
    // Berlin, summer time (UTC+2): Sunday 23:30 local is still the week of Monday 22 June.
    ["2026-06-28T21:30:00Z", BERLIN, "2026-06-22"],
    // Monday 00:30 local, though still Sunday in UTC.
    ["2026-06-28T22:30:00Z", BERLIN, "2026-06-29"],
    // The night summer time ends (25 Oct 2026, back to UTC+1): 22:30Z is Sunday 23:30 local …
    ["2026-10-25T22:30:00Z", BERLIN, "2026-10-19"],
    // … and 23:30Z is Monday 00:30 local. A fixed +2 offset would put both in the same week.
    ["2026-10-25T23:30:00Z", BERLIN, "2026-10-26"],
    // Los Angeles (UTC−7): Monday 03:00 in UTC is Sunday 20:00 local.
    ["2026-06-29T03:00:00Z", "America/Los_Angeles", "2026-06-22"],
    ["2026-06-29T07:30:00Z", "America/Los_Angeles", "2026-06-29"],
  ])("%s in %s is in the week of %s", (at, tz, monday) => {
    expect(weekStartOf(Date.parse(at), tz)).toBe(monday);
  });
});

describe("weeklyLatency", () => {
  // The AsyncAPI program's autumn: four weeks around the end of summer time in Berlin.
  const requests: DerivedRequest[] = [
    // Week of 12 Oct: three answered (1 h, 3 h, 30 h), one closed unanswered.
    answeredRequest(201, "2026-10-12T08:00:00Z", mentee, mentor, 1 * H),
    answeredRequest(202, "2026-10-14T08:00:00Z", mentee2, mentor2, 3 * H),
    answeredRequest(203, "2026-10-18T21:59:00Z", mentee, mentor, 30 * H), // Sunday 23:59 local, answered in the next week
    closedUnanswered(waitingRequest(204, "2026-10-13T08:00:00Z", mentee2), "2026-10-16T08:00:00Z"),
    // Week of 19 Oct: nothing answered, one still waiting since Sunday night, after the clocks went back.
    waitingRequest(205, "2026-10-25T22:30:00Z", mentee),
    // Week of 26 Oct: none at all. Week of 2 Nov: two answered (2 h, 50 h) and one waiting.
    answeredRequest(206, "2026-11-02T09:00:00Z", mentee, mentor2, 2 * H),
    answeredRequest(207, "2026-11-03T09:00:00Z", mentee2, mentor, 50 * H),
    waitingRequest(208, "2026-11-05T09:00:00Z", mentee2),
  ];
  const span = { timezone: BERLIN, from: "2026-10-11T22:00:00Z", to: "2026-11-08T23:00:00Z" };

  test("each request counts in the local week it was opened in; every week is listed", () => {
    const weeks = weeklyLatency(requests.map((r) => trendRequestOf(r)), span);
    expect(weeks.map((w) => w.weekStart)).toEqual(["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"]);
    expect(weeks.map((w) => [w.requests, w.answered, w.waiting, w.closedUnanswered])).toEqual([
      [4, 3, 0, 1],
      [1, 0, 1, 0],
      [0, 0, 0, 0],
      [3, 2, 1, 0],
    ]);
  });

  test("percentiles are over answered requests only, and a week without answers has none", () => {
    const weeks = weeklyLatency(requests.map((r) => trendRequestOf(r)), span);
    expect(weeks[0]).toMatchObject({ p50Seconds: 3 * H, p90Seconds: 24.6 * H });
    expect(weeks[1]).toMatchObject({ p50Seconds: null, p90Seconds: null });
    expect(weeks[2]).toMatchObject({ p50Seconds: null, p90Seconds: null });
    expect(weeks[3]).toMatchObject({ p50Seconds: 26 * H, p90Seconds: 45.2 * H });
  });

  test("each week's figures are the report's statistics over that week's requests", () => {
    const now = "2026-11-08T12:00:00Z";
    const weeks = weeklyLatency(requests.map((r) => trendRequestOf(r)), span);
    for (const week of weeks) {
      const theirs = requests.filter((r) => weekStartOf(Date.parse(r.openedAt), BERLIN) === week.weekStart);
      const stats = computeStats(theirs, now, SLA);
      expect([week.answered, week.waiting, week.closedUnanswered, week.p50Seconds, week.p90Seconds]).toEqual([
        stats.answered,
        stats.waiting,
        stats.closedUnanswered,
        stats.p50Seconds,
        stats.p90Seconds,
      ]);
    }
  });

  test("a week begins at local midnight on Monday, to the second, on the night the clocks go back", () => {
    // Monday 26 Oct 2026 00:00 in Berlin is 23:00Z (UTC+1 from 25 Oct 03:00 local); the week before lasted 169 hours.
    const edge = [waitingRequest(501, "2026-10-25T22:59:59Z"), waitingRequest(502, "2026-10-25T23:00:00Z")].map((r) => trendRequestOf(r));
    const weeks = weeklyLatency(edge, { timezone: BERLIN, from: "2026-10-18T22:00:00Z", to: "2026-11-01T23:00:00Z" });
    expect(weeks.map((w) => [w.weekStart, w.requests])).toEqual([
      ["2026-10-19", 1],
      ["2026-10-26", 1],
    ]);
  });

  test("input order does not matter", () => {
    const expected = weeklyLatency(requests.map((r) => trendRequestOf(r)), span);
    for (const order of orders(requests)) expect(weeklyLatency(order.map((r) => trendRequestOf(r)), span)).toEqual(expected);
  });

  test("requests outside the span are left out; without a span the requests set it", () => {
    const narrow = weeklyLatency(requests.map((r) => trendRequestOf(r)), { timezone: BERLIN, from: "2026-10-18T22:00:00Z", to: "2026-10-25T23:00:00Z" });
    expect(narrow.map((w) => [w.weekStart, w.requests])).toEqual([["2026-10-19", 1]]);
    const open = weeklyLatency(requests.map((r) => trendRequestOf(r)), { timezone: BERLIN });
    expect(open.map((w) => w.weekStart)).toEqual(["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"]);
    expect(weeklyLatency([], { timezone: BERLIN })).toEqual([]);
  });

  test("measured to the first mentor response when asked", () => {
    const someoneElseFirst: DerivedRequest = { ...answeredRequest(301, "2026-10-12T08:00:00Z", mentee, mentor, H), firstMentorResponse: null };
    expect(weeklyLatency([trendRequestOf(someoneElseFirst)], span)[0]).toMatchObject({ answered: 1, waiting: 0 });
    expect(weeklyLatency([trendRequestOf(someoneElseFirst, "firstMentorResponse")], span)[0]).toMatchObject({ answered: 0, waiting: 1 });
  });

  test("as a chart: hours with one decimal, gaps for the weeks without answers, the SLA line", () => {
    const spec = weeklyLatencyChart(weeklyLatency(requests.map((r) => trendRequestOf(r)), span), { id: "weekly", slaSeconds: SLA });
    const html = lineChart(spec);
    expect(tableOf(html).rows).toEqual([
      ["2026-10-12", "3.0", "24.6"],
      ["2026-10-19", "no answer", "no answer"],
      ["2026-10-26", "no answer", "no answer"],
      ["2026-11-02", "26.0", "45.2"],
    ]);
    expect(tableOf(html).header).toEqual(["Week of", "p50 (hours)", "p90 (hours)"]);
    expect(tableOf(html).caption).toContain("SLA: 48.0 hours");
    expect(seriesOf(html).map((s) => s.d.match(/M/g)?.length ?? 0)).toEqual([0, 0]);
    expect(spec.description).toContain("2 requests still waiting are not in the percentiles");
    const business = weeklyLatencyChart([], { id: "weekly", slaSeconds: SLA, clock: "business" });
    expect(business.unit).toBe("working hours");
    expect(lineChart(business)).toContain("No requests yet.");
  });
});

describe("latencyDistribution", () => {
  test("buckets are (lower, upper], with the SLA as an edge", () => {
    const latencies = [0, H, H + 1, 4 * H, 11 * H, 24 * H, SLA, SLA + 1, 7 * 24 * H, 7 * 24 * H + 1, 30 * 24 * H];
    const requests = latencies.map((l, i) => answeredRequest(400 + i, "2026-07-01T09:00:00Z", mentee, mentor, l));
    const d = latencyDistribution(requests.map((r) => trendRequestOf(r)), SLA);
    expect(d.buckets.map((b) => [b.label, b.count])).toEqual([
      ["≤1h", 2],
      ["1–4h", 2],
      ["4–12h", 1],
      ["12–24h", 1],
      ["24–48h", 1],
      ["48h–1w", 2],
      [">1w", 2],
    ]);
    expect(d.slaEdge).toBe(5);
    // The buckets before the SLA edge hold exactly the requests the report counts within the SLA.
    const withinBuckets = d.buckets.filter((b) => b.withinSla).reduce((n, b) => n + b.count, 0);
    const stats = computeStats(requests, "2026-08-01T00:00:00Z", SLA);
    expect(withinBuckets).toBe(Math.round((stats.withinSla ?? 0) * stats.answered));
    expect(d.buckets.slice(0, d.slaEdge).every((b) => b.withinSla)).toBe(true);
    expect(d.buckets.slice(d.slaEdge).some((b) => b.withinSla)).toBe(false);
  });

  test("an SLA between the usual edges becomes one, and splits its bucket", () => {
    const d = latencyDistribution([trendRequestOf(answeredRequest(1, "2026-07-01T09:00:00Z", mentee, mentor, 36 * H))], 36 * H);
    expect(d.buckets.map((b) => b.label)).toEqual(["≤1h", "1–4h", "4–12h", "12–24h", "24–36h", "36–48h", "48h–1w", ">1w"]);
    expect(d.slaEdge).toBe(5);
    expect(d.buckets[4]!.count).toBe(1);
  });

  test("waiting and closed-unanswered requests are counted apart, never bucketed", () => {
    const requests = [
      answeredRequest(1, "2026-07-01T09:00:00Z", mentee, mentor, 2 * H),
      waitingRequest(2, "2026-07-02T09:00:00Z"),
      waitingRequest(3, "2026-07-03T09:00:00Z", mentee2),
      closedUnanswered(waitingRequest(4, "2026-07-01T09:00:00Z"), "2026-07-05T09:00:00Z"),
    ];
    const d = latencyDistribution(requests.map((r) => trendRequestOf(r)), SLA);
    expect([d.answered, d.waiting, d.closedUnanswered]).toEqual([1, 2, 1]);
    expect(d.buckets.reduce((n, b) => n + b.count, 0)).toBe(1);
    const html = histogram(latencyDistributionChart(d, { id: "dist" }));
    expect(tableOf(html).rows.map((r) => r[1])).toEqual(["0", "1", "0", "0", "0", "0", "0"]);
    expect(html).toContain("Not in the chart: 2 requests still waiting and 1 closed unanswered.");
    expect(html).toContain("SLA 48h");
  });

  test("with nothing answered the chart says so instead of drawing empty buckets", () => {
    const d = latencyDistribution([trendRequestOf(waitingRequest(2, "2026-07-02T09:00:00Z"))], SLA);
    const html = histogram(latencyDistributionChart(d, { id: "dist" }));
    expect(html).not.toContain("<svg");
    expect(html).toContain("No answered requests yet; 1 request waiting.");
    expect(histogram(latencyDistributionChart(latencyDistribution([], SLA), { id: "dist" }))).toContain("No requests yet.");
  });

  test("a nonsense SLA or edge is refused", () => {
    expect(() => latencyDistribution([], 0)).toThrow(RangeError);
    expect(() => latencyDistribution([], SLA, [H, -1])).toThrow(RangeError);
  });

  test.each([
    [45 * 60, "45m"],
    [5400, "90m"],
    [4 * H, "4h"],
    [48 * H, "48h"],
    [7 * 24 * H, "1w"],
    [14 * 24 * H, "2w"],
    [90, "90s"],
  ])("shortDuration(%p) is %p", (seconds, text) => {
    expect(shortDuration(seconds)).toBe(text);
  });
});

describe("tasksDoneByWeek", () => {
  const projects = [
    { id: "cli", title: "AsyncAPI CLI" },
    { id: "website", title: "Website" },
  ];
  const tasks: DoneTask[] = [
    { projectId: "cli", doneAt: "2026-06-10T10:00:00Z" }, // before the program: counts from its first week
    { projectId: "cli", doneAt: "2026-06-16T10:00:00Z" },
    { projectId: "cli", doneAt: "2026-06-21T21:30:00Z" }, // Sunday 23:30 Berlin: still the first week
    { projectId: "website", doneAt: "2026-06-21T22:30:00Z" }, // Monday 00:30 Berlin: the second week
    { projectId: "cli", doneAt: "2026-07-01T10:00:00Z" },
    { projectId: "docs", doneAt: "2026-06-30T10:00:00Z" }, // a project since removed from the roster
    { projectId: "website", doneAt: "2026-07-20T10:00:00Z" }, // after the span: not counted
  ];
  const span = { timezone: BERLIN, from: "2026-06-14T22:00:00Z", to: "2026-07-12T22:00:00Z" };

  test("cumulative per project at the end of each local week, every week listed", () => {
    const data = tasksDoneByWeek(tasks, projects, span);
    expect(data.weeks).toEqual(["2026-06-15", "2026-06-22", "2026-06-29", "2026-07-06"]);
    expect(data.byProject).toEqual([
      { id: "cli", title: "AsyncAPI CLI", cumulative: [3, 3, 4, 4] },
      { id: "website", title: "Website", cumulative: [0, 1, 1, 1] },
      { id: "docs", title: "docs", cumulative: [0, 0, 1, 1] },
    ]);
    for (const order of orders(tasks)) expect(tasksDoneByWeek(order, projects, span)).toEqual(data);
  });

  test("as a chart: one line per project, the table the cumulative counts", () => {
    const html = lineChart(tasksDoneChart(tasksDoneByWeek(tasks, projects, span), { id: "tasks" }));
    expect(tableOf(html).header).toEqual(["Week of", "AsyncAPI CLI (tasks)", "Website (tasks)", "docs (tasks)"]);
    expect(tableOf(html).rows[2]).toEqual(["2026-06-29", "4", "1", "1"]);
    expect(seriesOf(html)).toHaveLength(3);
  });

  test("with no task done the chart says so", () => {
    const html = lineChart(tasksDoneChart(tasksDoneByWeek([], projects, span), { id: "tasks" }));
    expect(html).toContain("No tasks done yet.");
    expect(html).not.toContain("<svg");
  });
});
