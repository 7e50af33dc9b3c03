/**
 * Insights for people: a markdown page (a drop-in for the org's own docs page: "Program Impact by
 * Year", the insights table and a footnote of definitions) and the same tables for a terminal.
 * Both come from the same rows, so they cannot disagree.
 *
 * The small-number rule: with `showLogins` false, no person is named, only counted. Public outputs
 * pass the roster's `insights.publicLogins`; a careful org keeps it false.
 */
import type { Insights, RetentionFigure } from "../domain/insights.js";
import { formatPercent } from "./format.js";
import { displayWidth, terminalText } from "./report-table.js";
import { code, inlineText, plainLogin } from "./safe-text.js";

export interface InsightsTextOptions {
  showLogins: boolean;
}

interface Tables {
  impact: { header: string[]; rows: string[][] };
  measures: { header: string[]; rows: string[][] };
  people: { title: string; logins: string[] }[];
}

function share(count: number, of: number, rate: number | null): string {
  return `${formatPercent(rate)} (${count} of ${of})`;
}

function retentionCell(r: RetentionFigure): string {
  const parts = [share(r.retained, r.eligible, r.rate)];
  if (r.tooEarly > 0) parts.push(`${r.tooEarly} too early`);
  if (r.noData > 0) parts.push(`${r.noData} before the data`);
  return parts.join("; ");
}

function tables(insights: Insights): Tables {
  const impact: string[][] = [];
  for (const year of insights.byYear) {
    for (const p of year.programs) impact.push([String(year.year), p.name, String(p.mentees), String(p.menteeSlots), String(p.mentors)]);
    if (year.programs.length > 1) impact.push([String(year.year), "All programs of the year", String(year.mentees), String(year.menteeSlots), String(year.mentors)]);
  }
  impact.push(["All years", "", String(insights.people.mentees), String(insights.people.menteeSlots), String(insights.people.mentors)]);

  const measures: string[][] = [];
  for (const [i, r] of insights.retention.entries()) {
    const newcomers = insights.comparison.retention[i];
    measures.push([`Retained ${r.days} days after the program`, retentionCell(r), newcomers ? retentionCell(newcomers) : ""]);
  }
  const active = insights.currentlyActive;
  const newcomersActive = insights.comparison.currentlyActive;
  measures.push([`Active in the last ${active.days} days`, share(active.count, active.of, active.rate), formatPercent(newcomersActive.rate)]);
  measures.push(["Mentors who return in another year", share(insights.returningMentors.count, insights.people.mentors, insights.returningMentors.rate), ""]);
  measures.push(["Mentees who become mentors", share(insights.menteeToMentor.count, insights.people.mentees, insights.menteeToMentor.rate), ""]);
  measures.push(["Alumni who become maintainers", share(insights.menteeToMaintainer.count, insights.alumni, insights.menteeToMaintainer.rate), ""]);
  return {
    impact: { header: ["Year", "Program", "Mentees", "Slots", "Mentors"], rows: impact },
    measures: { header: ["Measure", "Mentees", `Newcomers not mentored (${insights.comparison.newcomers})`], rows: measures },
    people: [
      { title: "Returning mentors", logins: insights.returningMentors.logins },
      { title: "Mentees who became mentors", logins: insights.menteeToMentor.logins },
      { title: "Alumni who became maintainers", logins: insights.menteeToMaintainer.logins },
    ],
  };
}

const DEFINITIONS = (insights: Insights): string[] => [
  "**Mentees** are people (GitHub accounts, whatever their login's case or later renames); **slots** count each program and project a mentee took part in, so one person in two projects is 1 mentee and 2 slots. A program belongs to the year it starts.",
  `**Retained N days**: an alumnus with a contribution (issue or PR opened, comment, review) in the organisation's repositories within N days after their latest program ended (CHAOSS: Inactive Contributors). Alumni whose window has not closed yet are *too early*, never lost; windows that open before the stored activity are not counted (${insights.dataFrom.note}).`,
  "**Newcomers not mentored**: people off the roster whose first contribution falls within a program's dates, measured from the same program end (CHAOSS: New Contributors, Mentorship)." +
    (insights.comparison.programsLeftOut.length === 0
      ? ""
      : ` Programs that started before the app was installed have none, since only mentees' threads were read then: ${insights.comparison.programsLeftOut.map((id) => code(id)).join(", ")}.`),
  "**Mentors who return**: mentors in programs of two or more years, of all mentors. **Mentees who become mentors**: mentees who mentor in a later program, of all mentees (CHAOSS: Conversion Rate).",
  "**Maintainers**: alumni who, after their first program started, merged a pull request someone else opened or were first named in a `CODEOWNERS` or `MAINTAINERS` file of the default branch.",
];

/** Figures are the app's own text; only the columns in `untrusted` (program names) come from the roster. */
function markdownTable(header: string[], rows: string[][], untrusted: number[] = []): string {
  const cell = (text: string, i: number) => (untrusted.includes(i) ? inlineText(text, 200) : text) || " ";
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), `|${header.map(() => " --- ").join("|")}|`, ...rows.map(line)].join("\n");
}

export function renderInsightsMarkdown(insights: Insights, options: InsightsTextOptions): string {
  const t = tables(insights);
  const out = ["## Program Impact by Year", "", markdownTable(t.impact.header, t.impact.rows, [1]), "", "## Insights", "", markdownTable(t.measures.header, t.measures.rows)];
  if (options.showLogins) {
    for (const group of t.people) {
      out.push("", `**${group.title}:** ${group.logins.length === 0 ? "none" : group.logins.map(plainLogin).join(", ")}`);
    }
  }
  out.push("", "---", "", "**Definitions**", "", ...DEFINITIONS(insights).map((d, i) => `${i + 1}. ${d}`));
  return `${out.join("\n")}\n`;
}

function padded(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((r) => r.map(terminalText));
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ""))));
  return all.map((r) => r.map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(c)))).join("  ").trimEnd()).join("\n");
}

export function renderInsightsTable(insights: Insights, options: InsightsTextOptions): string {
  const t = tables(insights);
  const out = [padded(t.impact.header, t.impact.rows), "", padded(t.measures.header, t.measures.rows)];
  if (options.showLogins) {
    for (const group of t.people) out.push("", `${group.title}: ${group.logins.length === 0 ? "none" : group.logins.map(terminalText).join(", ")}`);
  }
  out.push("", insights.dataFrom.note);
  return `${out.join("\n")}\n`;
}
