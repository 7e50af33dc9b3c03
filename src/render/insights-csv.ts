/**
 * Insights as CSV (RFC 4180, formula-safe cells as in report-csv.ts), one figure per row:
 * `figure,scope,days,count,of,rate,too_early,no_data`. `scope` is a year, a program id, `all`,
 * or `comparison` for the newcomers nobody mentored. Rates are ratios in [0, 1].
 */
import type { Insights, RetentionFigure } from "../domain/insights.js";
import { csvCell } from "./report-csv.js";

export const INSIGHTS_CSV_HEADER = ["figure", "scope", "days", "count", "of", "rate", "too_early", "no_data"] as const;

type Row = [string, string | number, number | null, number, number | null, number | null, number | null, number | null];

export function renderInsightsCsv(insights: Insights): string {
  const rows: Row[] = [];
  for (const year of insights.byYear) {
    rows.push(["mentees", year.year, null, year.mentees, null, null, null, null]);
    rows.push(["mentee_slots", year.year, null, year.menteeSlots, null, null, null, null]);
    rows.push(["mentors", year.year, null, year.mentors, null, null, null, null]);
    for (const p of year.programs) {
      rows.push(["mentees", p.id, null, p.mentees, null, null, null, null]);
      rows.push(["mentee_slots", p.id, null, p.menteeSlots, null, null, null, null]);
      rows.push(["mentors", p.id, null, p.mentors, null, null, null, null]);
    }
  }
  rows.push(["mentees", "all", null, insights.people.mentees, null, null, null, null]);
  rows.push(["mentee_slots", "all", null, insights.people.menteeSlots, null, null, null, null]);
  rows.push(["mentors", "all", null, insights.people.mentors, null, null, null, null]);
  const retention = (scope: string, figures: RetentionFigure[]) => {
    for (const r of figures) rows.push(["retained", scope, r.days, r.retained, r.eligible, r.rate, r.tooEarly, r.noData]);
  };
  retention("all", insights.retention);
  const active = insights.currentlyActive;
  rows.push(["currently_active", "all", active.days, active.count, active.of, active.rate, null, null]);
  rows.push(["returning_mentors", "all", null, insights.returningMentors.count, insights.people.mentors, insights.returningMentors.rate, null, null]);
  rows.push(["mentee_to_mentor", "all", null, insights.menteeToMentor.count, insights.people.mentees, insights.menteeToMentor.rate, null, null]);
  rows.push(["mentee_to_maintainer", "all", null, insights.menteeToMaintainer.count, insights.alumni, insights.menteeToMaintainer.rate, null, null]);
  rows.push(["newcomers", "comparison", null, insights.comparison.newcomers, null, null, null, null]);
  retention("comparison", insights.comparison.retention);
  const newcomersActive = insights.comparison.currentlyActive;
  rows.push(["currently_active", "comparison", active.days, newcomersActive.count, null, newcomersActive.rate, null, null]);
  const lines = [INSIGHTS_CSV_HEADER.join(","), ...rows.map((r) => r.map((v) => csvCell(typeof v === "number" || v === null ? v : String(v))).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
