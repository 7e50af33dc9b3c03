/**
 * The report's figures as dashboard blocks: key figures, statistics tables (the columns of the text
 * report, src/render/report-stats.ts), the waiting queue, and the charts' tables.
 */
import type { LatencyDistribution, TasksDoneByWeek, WeekLatency } from "../../domain/trends.js";
import type { LatencyStats, ResponseTimeReport, WaitingRequest } from "../../domain/types.js";
import { histogram, lineChart } from "../charts/index.js";
import { latencyDistributionChart, tasksDoneChart as tasksDoneSpec, weeklyLatencyChart } from "../trend-charts.js";
import { clockLabel, formatClockDuration, formatOptionalDuration, formatPercent, REQUEST_KIND_LABEL } from "../format.js";
import { statColumns } from "../report-stats.js";
import { localDateTime } from "./dates.js";
import type { Block, Chart, Kpi } from "./page.js";
import type { CellInput, Column, Table } from "./table.js";

/** p50/p90/max/within SLA and the queue, with the clock named when it is business hours. */
export function reportKpis(report: ResponseTimeReport): Block {
  const day = report.workingDaySeconds;
  const note = report.clock === "business" ? clockLabel(report) : undefined;
  const t = report.totals;
  const items: Kpi[] = [
    { label: "Requests", value: String(t.requests) },
    { label: "Median first response (p50)", value: formatOptionalDuration(t.p50Seconds, day), note },
    { label: "p90", value: formatOptionalDuration(t.p90Seconds, day), note },
    { label: `Within SLA (${formatClockDuration(report.slaSeconds, day)})`, value: formatPercent(t.withinSla), note },
    { label: "Waiting", value: String(t.waiting) },
    { label: "Overdue", value: String(t.overdue) },
  ];
  return { kind: "kpis", items };
}

function statCells(report: ResponseTimeReport, s: LatencyStats): CellInput[] {
  const day = report.workingDaySeconds;
  const seconds = (v: number | null) => ({ text: formatOptionalDuration(v, day), csv: v });
  return statColumns(report).map((c) => {
    switch (c.title) {
      case "p50":
        return seconds(s.p50Seconds);
      case "p90":
        return seconds(s.p90Seconds);
      case "Max":
        return seconds(s.maxSeconds);
      case "Within SLA":
        return { text: formatPercent(s.withinSla), csv: s.withinSla };
      default:
        return { text: c.cell(s, day), csv: Number(c.cell(s, day)) };
    }
  });
}

function statHeaders(report: ResponseTimeReport): Column[] {
  const unit = report.clock === "business" ? "working_seconds" : "seconds";
  return statColumns(report).map((c) => {
    const csv = c.title.toLowerCase().replace(/ /g, "_");
    return { title: c.title, numeric: true, csv: ["p50", "p90", "max"].includes(csv) ? `${csv}_${unit}` : csv };
  });
}

export function statsTable<R extends LatencyStats>(
  report: ResponseTimeReport,
  options: { id: string; caption: string; first: string; rows: readonly R[]; name: (row: R) => CellInput; extra?: Array<{ column: Column; cell: (row: R) => CellInput }> },
): Table {
  const extra = options.extra ?? [];
  return {
    id: options.id,
    caption: report.clock === "business" ? `${options.caption} (durations in working time)` : options.caption,
    columns: [{ title: options.first }, ...statHeaders(report), ...extra.map((e) => e.column)],
    rows: options.rows.map((r) => [options.name(r), ...statCells(report, r), ...extra.map((e) => e.cell(r))]),
  };
}

export function waitingTable(
  report: Pick<ResponseTimeReport, "workingDaySeconds" | "clock">,
  waiting: readonly WaitingRequest[],
  timezone: string,
  options: { showMentee: boolean; caption?: string },
): Table {
  const day = report.workingDaySeconds;
  return {
    id: "waiting",
    caption: options.caption ?? `Waiting for a first response, oldest first (times in ${timezone})`,
    empty: "Nothing is waiting.",
    columns: [
      { title: "Thread" },
      ...(options.showMentee ? [{ title: "Mentee" }] : []),
      { title: "Kind" },
      { title: "Opened", csv: "opened_at" },
      { title: report.clock === "business" ? "Age (working time)" : "Age", csv: report.clock === "business" ? "age_working_seconds" : "age_seconds", numeric: true },
      { title: "Overdue" },
    ],
    rows: waiting.map((w) => [
      { text: `${w.repo}#${w.number}`, href: w.url, csv: w.url },
      ...(options.showMentee ? [w.mentee] : []),
      REQUEST_KIND_LABEL[w.kind] ?? w.kind,
      { text: localDateTime(w.openedAt, timezone), csv: w.openedAt },
      { text: formatClockDuration(w.ageSeconds, day), csv: w.ageSeconds },
      w.overdue ? "overdue" : "",
    ]),
  };
}

export function distributionChart(distribution: LatencyDistribution, clock: ResponseTimeReport["clock"]): Chart {
  return {
    figure: histogram(latencyDistributionChart(distribution, { id: "distribution", clock })),
    table: {
      id: "distribution",
      caption: "Answered requests by time to first response",
      columns: [{ title: clock === "business" ? "Answered in (working time)" : "Answered in", csv: "bucket" }, { title: "Requests", numeric: true, csv: "requests" }, { title: "Within SLA", csv: "within_sla" }],
      rows: distribution.buckets.map((b) => [b.label, b.count, b.withinSla ? "yes" : "no"]),
    },
  };
}

export function weeklyChart(weeks: readonly WeekLatency[], slaSeconds: number, clock: ResponseTimeReport["clock"], workingDaySeconds: number | null): Chart {
  const unit = clock === "business" ? "working_seconds" : "seconds";
  const d = (v: number | null) => ({ text: formatOptionalDuration(v, workingDaySeconds), csv: v });
  return {
    figure: lineChart(weeklyLatencyChart(weeks, { id: "weekly", slaSeconds, clock })),
    table: {
      id: "weekly",
      caption: "First response by the week requests were opened",
      columns: [
        { title: "Week of", csv: "week" },
        { title: "Requests", numeric: true, csv: "requests" },
        { title: "Answered", numeric: true, csv: "answered" },
        { title: "Waiting", numeric: true, csv: "waiting" },
        { title: "p50", numeric: true, csv: `p50_${unit}` },
        { title: "p90", numeric: true, csv: `p90_${unit}` },
      ],
      rows: weeks.map((w) => [w.weekStart, w.requests, w.answered, w.waiting, d(w.p50Seconds), d(w.p90Seconds)]),
    },
  };
}

/** Cumulative tasks done per project, week by week. */
export function tasksDoneChart(data: TasksDoneByWeek): Chart {
  return {
    figure: lineChart(tasksDoneSpec(data, { id: "tasks-done" })),
    table: {
      id: "tasks-done",
      caption: "Tasks done so far, by project (cumulative, by the week each was closed)",
      empty: "No task is done yet.",
      columns: [{ title: "Week of", csv: "week" }, ...data.byProject.map((p) => ({ title: p.title, numeric: true, csv: p.id }))],
      rows: data.weeks.map((week, i) => [week, ...data.byProject.map((p) => p.cumulative[i] ?? 0)]),
    },
  };
}
