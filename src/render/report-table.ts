/**
 * The response-time report as fixed-width plain text for the CLI: no colours, no box-drawing, so it
 * survives pipes, `less` and CI logs. Columns are padded by display width (CJK and emoji take two
 * cells), numbers are right-aligned, durations human-readable.
 *
 * Text cells are untrusted (logins, project titles): control characters are removed so a title can
 * never smuggle terminal escape sequences (ESC[…, OSC 8 links, cursor movement) into someone's
 * terminal, and long cells are cut at `MAX_CELL_WIDTH` columns with `…`.
 */
import type { LatencyStats, ResponseTimeReport } from "../domain/types.js";
import { REQUEST_KIND_LABEL, clockLabel, formatClockDuration, formatDate, formatDateTime, reportWindow } from "./format.js";
import { statColumns } from "./report-stats.js";

export const MAX_CELL_WIDTH = 40;

type Align = "left" | "right";
interface Column {
  title: string;
  align: Align;
}

export function renderReportTable(report: ResponseTimeReport): string {
  const day = report.workingDaySeconds;
  const stats = statColumns(report);
  const STAT_COLUMNS: Column[] = stats.map((c) => ({ title: c.title, align: "right" }));
  const statCellsOf = (s: LatencyStats) => stats.map((c) => c.cell(s, day));
  const out: string[] = [];
  out.push(`Mentor response times: ${terminalText(report.program)}`);
  out.push(
    [
      `Generated ${formatDateTime(report.generatedAt)}`,
      reportWindow(report),
      clockLabel(report),
      `first-response SLA ${formatClockDuration(report.slaSeconds, day)}`,
    ].join(" · "),
  );

  section(out, "TOTALS", STAT_COLUMNS, [statCellsOf(report.totals)]);
  section(
    out,
    "BY PROJECT",
    [{ title: "Project", align: "left" }, ...STAT_COLUMNS],
    report.byProject.map((p) => [`${terminalText(p.title)} (${terminalText(p.id)})`, ...statCellsOf(p)]),
  );
  section(
    out,
    "BY MENTOR",
    [{ title: "Mentor", align: "left" }, { title: "Answered first", align: "right" }, ...STAT_COLUMNS],
    report.byMentor.map((m) => [terminalText(m.login), String(m.answeredFirst), ...statCellsOf(m)]),
  );
  section(
    out,
    "BY MENTEE",
    [{ title: "Mentee", align: "left" }, ...STAT_COLUMNS],
    report.byMentee.map((m) => [terminalText(m.login), ...statCellsOf(m)]),
  );
  section(
    out,
    "WAITING",
    [
      { title: "Request", align: "left" },
      { title: "Mentee", align: "left" },
      { title: "Kind", align: "left" },
      { title: "Opened", align: "left" },
      { title: "Waiting", align: "right" },
      { title: "Overdue", align: "left" },
    ],
    report.waiting.map((w) => [
      `${terminalText(w.repo)}#${w.number}`,
      terminalText(w.mentee),
      REQUEST_KIND_LABEL[w.kind] ?? terminalText(w.kind),
      formatDate(w.openedAt),
      formatClockDuration(w.ageSeconds, day),
      w.overdue ? "yes" : "no",
    ]),
  );
  return `${out.join("\n")}\n`;
}

function section(out: string[], title: string, columns: Column[], rows: string[][]): void {
  out.push("", title);
  if (rows.length === 0) {
    out.push("(none)");
    return;
  }
  const cells = rows.map((row) => row.map((c) => fitWidth(c, MAX_CELL_WIDTH)));
  const widths = columns.map((col, i) => Math.max(displayWidth(col.title), ...cells.map((r) => displayWidth(r[i] ?? ""))));
  const line = (row: string[]) =>
    columns
      .map((col, i) => pad(row[i] ?? "", widths[i] as number, col.align))
      .join("  ")
      .trimEnd();
  out.push(line(columns.map((c) => c.title)));
  out.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of cells) out.push(line(row));
}

function pad(text: string, width: number, align: Align): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? fill + text : text + fill;
}

/** Untrusted text for a terminal: one line, no control characters (C0, DEL, C1, bidi controls). */
export function terminalText(untrusted: string): string {
  return String(untrusted)
    .replace(/\r\n|[\n\r\t\v\f\u0085\u2028\u2029]/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "")
    .trim();
}

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

function graphemeWidth(g: string): number {
  let width = 0;
  for (const ch of g) {
    if (ZERO_WIDTH.test(ch)) continue;
    width = Math.max(width, WIDE.test(ch) || (/\p{Extended_Pictographic}/u.test(ch) && g.includes("\ufe0f")) ? 2 : 1);
  }
  return width;
}

/** Terminal columns a string takes: an approximation of wcwidth good for names and titles. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

function fitWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = "";
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (width + w > max - 1) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}
