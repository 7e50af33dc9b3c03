/**
 * The response-time report as markdown: the reply to `/mentorship report` and the API's
 * `text/markdown` form. Logins are written as plain bold names, so posting a report pings nobody.
 *
 * GitHub rejects comment bodies over 65 536 characters, so the body is capped at `maxLength` UTF-16
 * code units (never fewer than GitHub's characters/code points, so the cap is conservative). When the
 * report does not fit, whole rows are dropped from the end (waiting requests first, then mentees,
 * mentors, projects; the totals always stay), a table is never left without rows, and a last line says
 * what was left out and where the full report is.
 */
import type { LatencyStats, ResponseTimeReport } from "../domain/types.js";
import { REQUEST_KIND_LABEL, clockLabel, formatClockDuration, formatDate, formatDateTime, plural, reportWindow } from "./format.js";
import { code, inlineText, issueRef, plainLogin } from "./safe-text.js";
import { statColumns } from "./report-stats.js";

export const GITHUB_COMMENT_MAX_LENGTH = 65_536;

export interface ReportMarkdownOptions {
  /** Default 65 536 (GitHub's comment limit). */
  maxLength?: number;
  /** Where the untruncated report is, as trusted markdown (a URL, or a CLI command in backticks). */
  fullReportHint: string;
}

interface Section {
  heading: string;
  header: string[];
  rows: string[];
  empty: string;
  /** Counted noun for the "not shown" line. */
  noun: [singular: string, plural: string];
}

export function renderReportMarkdown(report: ResponseTimeReport, opts?: ReportMarkdownOptions): string {
  const maxLength = opts?.maxLength ?? GITHUB_COMMENT_MAX_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
  const hint = opts?.fullReportHint ?? `\`mentorship report ${report.program.replace(/`/g, "")}\``;
  const day = report.workingDaySeconds;
  const stats = statColumns(report);
  const STATS_HEADER = stats.map((c) => c.title).join(" | ");
  const STATS_ALIGN = stats.map(() => "---:").join(" | ");
  const statsCells = (s: LatencyStats, workingDay: number | null) => stats.map((c) => c.cell(s, workingDay)).join(" | ");

  const head = [
    `## Mentor response times: ${inlineText(report.program)}`,
    "",
    [
      `Generated ${formatDateTime(report.generatedAt)}`,
      reportWindow(report),
      clockLabel(report),
      `first-response SLA ${formatClockDuration(report.slaSeconds, day)}`,
    ].join(" · "),
    "",
    "### Totals",
    "",
    `| ${STATS_HEADER} |`,
    `| ${STATS_ALIGN} |`,
    `| ${statsCells(report.totals, day)} |`,
  ].join("\n");

  const sections: Section[] = [
    {
      heading: "### By project",
      header: [`| Project | ${STATS_HEADER} |`, `| --- | ${STATS_ALIGN} |`],
      rows: report.byProject.map((p) => `| ${inlineText(p.title)} (${code(p.id, { table: true })}) | ${statsCells(p, day)} |`),
      empty: "No projects.",
      noun: ["project", "projects"],
    },
    {
      heading: "### By mentor",
      header: [`| Mentor | Answered first | ${STATS_HEADER} |`, `| --- | ---: | ${STATS_ALIGN} |`],
      rows: report.byMentor.map((m) => `| ${plainLogin(m.login)} | ${m.answeredFirst} | ${statsCells(m, day)} |`),
      empty: "No mentors.",
      noun: ["mentor", "mentors"],
    },
    {
      heading: "### By mentee",
      header: [`| Mentee | ${STATS_HEADER} |`, `| --- | ${STATS_ALIGN} |`],
      rows: report.byMentee.map((m) => `| ${plainLogin(m.login)} | ${statsCells(m, day)} |`),
      empty: "No mentees.",
      noun: ["mentee", "mentees"],
    },
    {
      heading: "### Waiting requests",
      header: ["| Request | Mentee | Kind | Opened | Waiting | Overdue |", "| --- | --- | --- | --- | ---: | --- |"],
      rows: report.waiting.map(
        (w) =>
          `| ${issueRef(w.repo, w.number)} | ${plainLogin(w.mentee)} | ${REQUEST_KIND_LABEL[w.kind] ?? inlineText(w.kind)} | ` +
          `${formatDate(w.openedAt)} | ${formatClockDuration(w.ageSeconds, day)} | ${w.overdue ? "⚠️ yes" : "no"} |`,
      ),
      empty: "Nobody is waiting for a mentor.",
      noun: ["waiting request", "waiting requests"],
    },
  ];

  // Units are appended in order and dropped from the end; a section's heading and table header
  // travel with its first row so no table is ever shown empty.
  const units: Array<{ text: string; section: number; row: boolean }> = [];
  sections.forEach((s, i) => {
    if (s.rows.length === 0) {
      units.push({ text: `\n\n${s.heading}\n\n${s.empty}`, section: i, row: false });
      return;
    }
    s.rows.forEach((row, r) => {
      const text = r === 0 ? `\n\n${s.heading}\n\n${s.header.join("\n")}\n${row}` : `\n${row}`;
      units.push({ text, section: i, row: true });
    });
  });

  const full = head + units.map((u) => u.text).join("") + "\n";
  if (full.length <= maxLength) return full;

  const prefix: number[] = [head.length];
  for (const u of units) prefix.push((prefix[prefix.length - 1] as number) + u.text.length);
  // Keep the first k units for the largest k whose text plus the "not shown" line fits. Prefixes
  // already over the limit cannot fit, so start from the longest one that does; then walk k down one
  // unit at a time, keeping the shown-row counts current instead of recounting.
  let k = units.length - 1;
  while (k > 0 && (prefix[k] as number) > maxLength) k--;
  const shown = sections.map(() => 0);
  for (const u of units.slice(0, k)) if (u.row) shown[u.section] = (shown[u.section] as number) + 1;
  for (;;) {
    const footer = omittedLine(sections, shown, hint);
    if ((prefix[k] as number) + footer.length <= maxLength) {
      return head + units.slice(0, k).map((u) => u.text).join("") + footer;
    }
    if (k === 0) break;
    k--;
    const dropped = units[k] as (typeof units)[number];
    if (dropped.row) shown[dropped.section] = (shown[dropped.section] as number) - 1;
  }
  // Not even the totals fit next to the note: keep the note, cut to the limit.
  return cutTo(omittedLine(sections, sections.map(() => 0), hint).trimStart(), maxLength);
}

function omittedLine(sections: Section[], shown: number[], hint: string): string {
  const parts: string[] = [];
  sections.forEach((s, i) => {
    const missing = s.rows.length - (shown[i] as number);
    if (missing <= 0) return;
    const [one, many] = s.noun;
    parts.push((shown[i] as number) > 0 ? `${missing} more ${missing === 1 ? one : many}` : plural(missing, one, many));
  });
  const what = parts.length <= 1 ? (parts[0] ?? "the remaining sections") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return `\n\n… ${what} not shown; the full report: ${hint}\n`;
}

/** Cut to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutTo(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
