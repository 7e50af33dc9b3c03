/**
 * The response-time report as CSV, one row per mentor, for spreadsheets.
 *
 * - RFC 4180: CRLF line endings (the RFC's, and what Excel writes), including after the last row;
 *   a field containing a comma, a double quote, CR or LF is quoted with inner quotes doubled.
 * - Formula injection: a text cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` so
 *   Excel, LibreOffice and Google Sheets show it as text instead of evaluating it (OWASP "CSV
 *   injection"). Numbers are written as they are: the report has no negative numbers.
 * - null → empty cell; numbers in JavaScript's shortest round-trip form, seconds unrounded, so the
 *   CSV carries the same values as the JSON report. `within_sla` is a ratio in [0, 1], not a percent.
 * - Under business hours the seconds are working seconds, and the headers say so (`p50_working_seconds`):
 *   a spreadsheet has no other place to carry the JSON's `clock: "business"`.
 */
import type { ResponseTimeReport } from "../domain/types.js";

export const REPORT_CSV_HEADER = [
  "program",
  "mentor",
  "requests",
  "answered",
  "waiting",
  "overdue",
  "p50_seconds",
  "p90_seconds",
  "max_seconds",
  "within_sla",
  "answered_first",
  // Last, so that readers of the earlier columns by position are unaffected.
  "closed_unanswered",
] as const;

const CRLF = "\r\n";

/** The header row for a report on this clock. */
export function reportCsvHeader(clock: ResponseTimeReport["clock"]): string[] {
  return REPORT_CSV_HEADER.map((h) => (clock === "business" ? h.replace(/_seconds$/, "_working_seconds") : h));
}

export function renderReportCsv(report: ResponseTimeReport): string {
  const lines = [reportCsvHeader(report.clock).join(",")];
  for (const m of report.byMentor) {
    lines.push(
      [
        report.program,
        m.login,
        m.requests,
        m.answered,
        m.waiting,
        m.overdue,
        m.p50Seconds,
        m.p90Seconds,
        m.maxSeconds,
        m.withinSla,
        m.answeredFirst,
        m.closedUnanswered,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join(CRLF) + CRLF;
}

/** One CSV field: formula-prefixed if text, then quoted if needed. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
