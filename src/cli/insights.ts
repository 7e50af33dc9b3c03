/**
 * `mentorship insights`: the program insights from the database the app writes, no GitHub
 * credentials needed. The markdown is meant for a public page, so it names people only when the
 * roster says `insights.publicLogins: "true"`; the table and JSON are for the operator and do.
 */
import { parseArgs } from "node:util";
import { loadModel } from "../db/rosters.js";
import { insightSettingsOf } from "../domain/insights.js";
import { renderInsightsCsv } from "../render/insights-csv.js";
import { renderInsightsMarkdown, renderInsightsTable } from "../render/insights-text.js";
import { terminalText } from "../render/report-table.js";
import { chooseInstallation, insightsReport, unknownPrograms } from "../reports/insights.js";
import type { CliIo } from "./io.js";
import { withDatabase } from "./report.js";

export const INSIGHTS_HELP = `Usage: mentorship insights [options]

Program insights of one organisation: participants per year (people and slots), retention of
alumni at 90/180/365 days, returning mentors, mentees who become mentors or maintainers, and
newcomers nobody mentored for comparison. Definitions: README, "Program insights".

Options:
  --program ID[,ID]     only these programs
  --since YYYY-MM-DD    programs starting on or after this day
  --until YYYY-MM-DD    programs starting before this day
  --format FORMAT       table (default), json, csv or markdown (a drop-in for the org's docs page)
  --installation ID     when several installations have a roster

Exit codes: 0 printed, 1 failure (unknown program, database unreachable), 2 bad arguments.`;

const FORMATS = ["table", "json", "csv", "markdown"] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function insightsCommand(args: string[], io: CliIo): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    const parsed = parseArgs({
      args,
      options: { program: { type: "string" }, since: { type: "string" }, until: { type: "string" }, format: { type: "string" }, installation: { type: "string" } },
      strict: true,
    });
    values = parsed.values as Record<string, string | undefined>;
  } catch (error) {
    io.stderr(`mentorship insights: ${String((error as Error).message).split("\n", 1)[0]}\n`);
    return 2;
  }
  const problem = argumentProblem(values);
  if (problem !== null) {
    io.stderr(`mentorship insights: ${problem}\n`);
    return 2;
  }
  const format = (values.format ?? "table") as (typeof FORMATS)[number];
  const programIds = values.program?.split(",").map((id) => id.trim()).filter(Boolean) ?? null;
  const scope = { programIds, since: values.since ?? null, until: values.until ?? null };
  return withDatabase(io, "insights", async (database) => {
    const choice = await chooseInstallation(database.db, programIds, values.installation === undefined ? null : Number(values.installation));
    if ("error" in choice) {
      const list = choice.installations ? ` (${choice.installations.join(", ")})` : "";
      io.stderr(`mentorship insights: ${terminalText(choice.error.replace("installation=<id>", "--installation ID"))}${list}\n`);
      return 1;
    }
    const unknown = await unknownPrograms(database.db, choice.installationId, scope);
    if (unknown.length > 0) {
      io.stderr(`mentorship insights: unknown program "${terminalText(unknown[0]!)}" (see mentorship programs)\n`);
      return 1;
    }
    const report = await insightsReport(database.db, choice.installationId, scope, new Date());
    const model = await loadModel(database.db, choice.installationId);
    const publicLogins = model ? insightSettingsOf(model).publicLogins : false;
    if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else if (format === "csv") io.stdout(renderInsightsCsv(report));
    else if (format === "markdown") io.stdout(renderInsightsMarkdown(report, { showLogins: publicLogins }));
    else io.stdout(renderInsightsTable(report, { showLogins: true }));
    return 0;
  });
}

function argumentProblem(values: Record<string, string | undefined>): string | null {
  const format = values.format ?? "table";
  if (!(FORMATS as readonly string[]).includes(format)) return `--format must be one of ${FORMATS.join(", ")}, not "${terminalText(format)}"`;
  for (const flag of ["since", "until"] as const) {
    const day = values[flag];
    if (day !== undefined && !DAY.test(day)) return `--${flag}: "${terminalText(day)}" is not a date (use YYYY-MM-DD)`;
  }
  if (values.installation !== undefined && !/^\d+$/.test(values.installation)) return `--installation must be a numeric installation id`;
  return null;
}
