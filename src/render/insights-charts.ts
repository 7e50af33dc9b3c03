/**
 * Insights as charts (issue 20): participants per year, the retention curve beside the newcomers
 * nobody mentored, and the conversion measures (returning mentors, mentee → mentor, alumni →
 * maintainer, still active). The specs come from the same `Insights` as the markdown and CSV, and
 * percentages are rounded as `formatPercent` rounds them, so every number here reads as it does there.
 *
 * The small-number rule holds as in insights-text.ts: with `showLogins` false no person is named.
 */
import type { Insights, RetentionFigure } from "../domain/insights.js";
import { barChart, lineChart } from "./charts/index.js";
import type { BarChartSpec, ChartSpec } from "./charts/types.js";
import { percentOf } from "./format.js";
import { htmlText } from "./safe-text.js";

export function participantsChart(insights: Insights, id = "insights-participants"): BarChartSpec {
  return {
    id,
    title: "Participants per year",
    description: "Distinct mentees and mentors in the programs that start each year (one person in two projects counts once).",
    categories: insights.byYear.map((y) => String(y.year)),
    series: [
      { name: "Mentees", values: insights.byYear.map((y) => y.mentees) },
      { name: "Mentors", values: insights.byYear.map((y) => y.mentors) },
    ],
    unit: "people",
    categoryLabel: "Year",
    decimals: 0,
    emptyText: "No program in scope yet.",
  };
}

function windowWords(r: RetentionFigure, who: string): string {
  const parts = [`${r.retained} of ${r.eligible} ${who}`];
  if (r.tooEarly > 0) parts.push(`${r.tooEarly} too early`);
  if (r.noData > 0) parts.push(`${r.noData} before the data`);
  return `${r.days} days: ${parts.join(", ")}`;
}

export function retentionChart(insights: Insights, id = "insights-retention"): ChartSpec {
  const { retention, comparison } = insights;
  const compared = comparison.newcomers > 0;
  const series = [{ name: "Mentees", values: retention.map((r) => percentOf(r.rate)) }];
  if (compared) series.push({ name: "Newcomers not mentored", values: comparison.retention.map((r) => percentOf(r.rate)) });
  return {
    id,
    title: "Retention after the program",
    description:
      `Share of alumni with a contribution within N days after their latest program ended` +
      (compared ? `, beside newcomers nobody mentored` : "") +
      `. Windows not closed yet or opening before the stored activity are not counted. ` +
      `${retention.map((r) => windowWords(r, "alumni")).join("; ")}` +
      (compared ? `. Newcomers: ${comparison.retention.map((r) => windowWords(r, "newcomers")).join("; ")}` : "") +
      `. Data: ${insights.dataFrom.note}.`,
    // With no window that can be measured yet there is no curve to draw.
    categories: retention.some((r) => r.rate !== null) ? retention.map((r) => `${r.days} days`) : [],
    series: retention.some((r) => r.rate !== null) ? series : series.map((s) => ({ ...s, values: [] })),
    unit: "%",
    categoryLabel: "Retained after",
    decimals: 1,
    missing: "not known yet",
    emptyText: "No alumni whose retention window has closed yet.",
  };
}

export function conversionChart(insights: Insights, id = "insights-conversion"): BarChartSpec {
  const { returningMentors, menteeToMentor, menteeToMaintainer, currentlyActive, people, alumni } = insights;
  // Short labels fit under the bars; the counts behind each share are in the description.
  const measures = [
    { label: "Returning mentors", rate: returningMentors.rate, words: `${returningMentors.count} of ${people.mentors} mentors return in another year` },
    { label: "Mentees → mentors", rate: menteeToMentor.rate, words: `${menteeToMentor.count} of ${people.mentees} mentees mentor in a later program` },
    { label: "Alumni → maintainers", rate: menteeToMaintainer.rate, words: `${menteeToMaintainer.count} of ${alumni} alumni became maintainers (merged someone else's pull request, or named in CODEOWNERS or MAINTAINERS)` },
    { label: "Active alumni", rate: currentlyActive.rate, words: `${currentlyActive.count} of ${currentlyActive.of} alumni contributed in the last ${currentlyActive.days} days` },
  ];
  const any = measures.some((m) => m.rate !== null);
  return {
    id,
    title: "Who stays on",
    description: `${measures.map((m) => m.words).join("; ")}.`,
    categories: any ? measures.map((m) => m.label) : [],
    series: [{ name: "Share", values: any ? measures.map((m) => percentOf(m.rate)) : [] }],
    unit: "%",
    categoryLabel: "Measure",
    decimals: 1,
    missing: "none to count",
    emptyText: "No mentors or mentees in scope yet.",
  };
}

/** The insights issue's "Program Impact by Year" table, as HTML. */
function impactTable(insights: Insights): string {
  const cell = (text: string | number) => `<td>${htmlText(String(text))}</td>`;
  const rows: string[] = [];
  for (const year of insights.byYear) {
    for (const p of year.programs) {
      rows.push(`<tr><th scope="row">${year.year}</th><td class="chart-text">${htmlText(p.name)}</td>${cell(p.mentees)}${cell(p.menteeSlots)}${cell(p.mentors)}</tr>`);
    }
    if (year.programs.length > 1) {
      rows.push(`<tr><th scope="row">${year.year}</th><td class="chart-text">All programs of the year</td>${cell(year.mentees)}${cell(year.menteeSlots)}${cell(year.mentors)}</tr>`);
    }
  }
  rows.push(`<tr><th scope="row">All years</th><td class="chart-text"></td>${cell(insights.people.mentees)}${cell(insights.people.menteeSlots)}${cell(insights.people.mentors)}</tr>`);
  const head = ["Year", "Program", "Mentees", "Slots", "Mentors"].map((h) => `<th scope="col">${h}</th>`).join("");
  return `<table class="chart-table insights-impact"><caption>Program impact by year (slots count each program and project a mentee took part in)</caption><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function peopleLists(insights: Insights): string {
  const groups = [
    { title: "Returning mentors", logins: insights.returningMentors.logins },
    { title: "Mentees who became mentors", logins: insights.menteeToMentor.logins },
    { title: "Alumni who became maintainers", logins: insights.menteeToMaintainer.logins },
  ];
  const items = groups.map((g) => `<dt>${g.title}</dt><dd>${g.logins.length === 0 ? "none" : g.logins.map((l) => htmlText(l, 40)).join(", ")}</dd>`);
  return `<dl class="insights-people">${items.join("")}</dl>`;
}

export interface InsightsChartsOptions {
  /** Name people in the lists of returning mentors and converts (admins only; see the small-number rule). */
  showLogins: boolean;
  /** Prefix of the charts' ids, when the page holds two insights bodies. */
  idPrefix?: string;
}

/** The Insights page body: the charts, each with its table, the impact table, and what the data covers. */
export function renderInsightsCharts(insights: Insights, options: InsightsChartsOptions): string {
  const prefix = options.idPrefix ?? "insights";
  const parts = [
    barChart(participantsChart(insights, `${prefix}-participants`)),
    impactTable(insights),
    lineChart(retentionChart(insights, `${prefix}-retention`)),
    barChart(conversionChart(insights, `${prefix}-conversion`)),
  ];
  if (options.showLogins) parts.push(peopleLists(insights));
  parts.push(`<p class="insights-note">${htmlText(insights.dataFrom.note, 400)}</p>`);
  return `<section class="insights-charts">${parts.join("")}</section>`;
}
