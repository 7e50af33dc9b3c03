/**
 * The program page's charts as specs (src/render/charts/types.ts) from the figures of
 * src/domain/trends.ts: pass the result to `histogram` or `lineChart`. Durations are drawn in hours
 * with one decimal, so the table beside a chart reads like the chart; under business hours they are
 * working hours and say so.
 */
import type { LatencyDistribution, TasksDoneByWeek, WeekLatency } from "../domain/trends.js";
import { shortDuration } from "../domain/trends.js";
import type { ChartSpec, HistogramSpec } from "./charts/types.js";
import { plural } from "./format.js";

export interface ClockOption {
  /** `business`: the latencies count working time only (the program sets business hours). */
  clock?: "calendar" | "business";
}

function hours(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds / 360) / 10;
}

function clockWords(clock: ClockOption["clock"]): string {
  return clock === "business" ? "working time (business hours)" : "calendar time";
}

/** The response-time distribution of answered requests, the SLA marked on its bucket edge. */
export function latencyDistributionChart(distribution: LatencyDistribution, options: { id: string; title?: string } & ClockOption): HistogramSpec {
  const { answered, waiting, closedUnanswered } = distribution;
  const left = [waiting > 0 ? `${plural(waiting, "request")} still waiting` : "", closedUnanswered > 0 ? `${closedUnanswered} closed unanswered` : ""].filter((s) => s !== "");
  const sla = `SLA ${shortDuration(distribution.slaSeconds)}`;
  return {
    id: options.id,
    title: options.title ?? "Time to first response",
    description:
      `${plural(answered, "answered request")} by time to first response, in ${clockWords(options.clock)}.` +
      (left.length > 0 ? ` Not in the chart: ${left.join(" and ")}.` : ""),
    // Nothing answered is "no data yet", not a row of empty buckets.
    categories: answered === 0 ? [] : distribution.buckets.map((b) => b.label),
    series: [{ name: "Answered requests", values: answered === 0 ? [] : distribution.buckets.map((b) => b.count) }],
    unit: "requests",
    categoryLabel: options.clock === "business" ? "Answered in (working time)" : "Answered in",
    boundary: { edge: answered === 0 ? 0 : distribution.slaEdge, label: sla, beforeLabel: "within the SLA", afterLabel: "over the SLA" },
    emptyText: waiting > 0 ? `No answered requests yet; ${plural(waiting, "request")} waiting.` : "No requests yet.",
  };
}

/** Weekly p50 and p90 of answered requests by the week they were opened; weeks without answers are gaps. */
export function weeklyLatencyChart(weeks: readonly WeekLatency[], options: { id: string; slaSeconds: number; title?: string } & ClockOption): ChartSpec {
  const waiting = weeks.reduce((n, w) => n + w.waiting, 0);
  const unit = options.clock === "business" ? "working hours" : "hours";
  return {
    id: options.id,
    title: options.title ?? "Weekly response times",
    description:
      `Median (p50) and 90th percentile (p90) time to first response of the requests opened each week (weeks start on Monday, program time), in ${clockWords(options.clock)}. ` +
      `Weeks without an answered request are gaps` +
      (waiting > 0 ? `; ${plural(waiting, "request")} still waiting are not in the percentiles.` : "."),
    categories: weeks.map((w) => w.weekStart),
    series: [
      { name: "p50", values: weeks.map((w) => hours(w.p50Seconds)) },
      { name: "p90", values: weeks.map((w) => hours(w.p90Seconds)) },
    ],
    unit,
    categoryLabel: "Week of",
    reference: { value: hours(options.slaSeconds) as number, label: "SLA" },
    decimals: 1,
    missing: "no answer",
    emptyText: "No requests yet.",
  };
}

/** Tasks done so far at the end of each week, one line per project. */
export function tasksDoneChart(data: TasksDoneByWeek, options: { id: string; title?: string }): ChartSpec {
  const anyDone = data.byProject.some((p) => (p.cumulative.at(-1) ?? 0) > 0);
  return {
    id: options.id,
    title: options.title ?? "Tasks done over time",
    description: "Tasks completed so far at the end of each week (weeks start on Monday, program time), per project.",
    categories: anyDone ? data.weeks : [],
    series: data.byProject.map((p) => ({ name: p.title, values: anyDone ? p.cumulative : [] })),
    unit: "tasks",
    categoryLabel: "Week of",
    decimals: 0,
    emptyText: "No tasks done yet.",
  };
}
