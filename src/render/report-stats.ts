import type { LatencyStats, ResponseTimeReport } from "../domain/types.js";
import { formatOptionalDuration, formatPercent } from "./format.js";

export interface StatColumn {
  title: string;
  cell(s: LatencyStats, workingDay: number | null): string;
}

const BEFORE_CLOSED: StatColumn[] = [
  { title: "Requests", cell: (s) => String(s.requests) },
  { title: "Answered", cell: (s) => String(s.answered) },
  { title: "Waiting", cell: (s) => String(s.waiting) },
];
const CLOSED: StatColumn = { title: "Closed unanswered", cell: (s) => String(s.closedUnanswered) };
const AFTER_CLOSED: StatColumn[] = [
  { title: "Overdue", cell: (s) => String(s.overdue) },
  { title: "p50", cell: (s, day) => formatOptionalDuration(s.p50Seconds, day) },
  { title: "p90", cell: (s, day) => formatOptionalDuration(s.p90Seconds, day) },
  { title: "Max", cell: (s, day) => formatOptionalDuration(s.maxSeconds, day) },
  { title: "Within SLA", cell: (s) => formatPercent(s.withinSla) },
];

/**
 * The statistics columns of the table and the markdown report. Requests = answered + waiting +
 * closed unanswered, so the column of requests a mentee closed unanswered after the SLA appears
 * whenever there are any: without it the row would not add up.
 */
export function statColumns(report: ResponseTimeReport): StatColumn[] {
  return report.totals.closedUnanswered > 0 ? [...BEFORE_CLOSED, CLOSED, ...AFTER_CLOSED] : [...BEFORE_CLOSED, ...AFTER_CLOSED];
}
