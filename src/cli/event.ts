/**
 * `mentorship event`: an open program's report from the database the app writes (issue 18). The
 * table and JSON are the admin's view: every participant by login, with the spam flags. `md` is the
 * public progress comment, which names nobody.
 */
import { parseArgs } from "node:util";
import type { EventPr } from "../domain/open-program.js";
import { formatOptionalDuration } from "../render/format.js";
import { renderEventProgress } from "../render/open-program.js";
import { terminalText } from "../render/report-table.js";
import { NotOpenProgramError, type OpenProgramReport, openProgramReport } from "../reports/open-program.js";
import { AmbiguousProgramError, findProgramInstallation } from "../reports/response-times.js";
import type { CliIo } from "./io.js";
import { table, withDatabase } from "./report.js";

export const EVENT_HELP = `Usage: mentorship event --program ID [options]

An open program (open: true in the roster, e.g. Hacktoberfest): every participant with their pull
requests' states and why any is not counted, who reached the goal, who is flagged for two or more
spam PRs, and per repository the PRs and the maintainers' response times. See README, "Open programs".

Options:
  --program ID        the open program (see mentorship programs)
  --format FORMAT     table (default), json, or md (the public progress comment: it names nobody)
  --installation ID   when two installations use the same program id

Exit codes: 0 printed, 1 failure (unknown or not an open program, database unreachable), 2 bad arguments.`;

const FORMATS = ["table", "json", "md"] as const;

export async function eventCommand(args: string[], io: CliIo): Promise<number> {
  let values: { program?: string; format?: string; installation?: string };
  try {
    values = parseArgs({ args, options: { program: { type: "string" }, format: { type: "string" }, installation: { type: "string" } }, strict: true }).values;
  } catch (error) {
    io.stderr(`mentorship event: ${String((error as Error).message).split("\n", 1)[0]}\n`);
    return 2;
  }
  const format = values.format ?? "table";
  const problem = !values.program
    ? "--program is required (see mentorship programs)"
    : !(FORMATS as readonly string[]).includes(format)
      ? `--format must be one of ${FORMATS.join(", ")}, not "${terminalText(format)}"`
      : values.installation !== undefined && !/^\d+$/.test(values.installation)
        ? "--installation must be a numeric installation id"
        : null;
  if (problem !== null) {
    io.stderr(`mentorship event: ${problem}\n`);
    return 2;
  }
  const programId = values.program!;
  return withDatabase(io, "event", async (database) => {
    let report: OpenProgramReport | null = null;
    try {
      const installationId = await findProgramInstallation(database.db, programId, values.installation === undefined ? null : Number(values.installation));
      if (installationId !== null) report = await openProgramReport(database.db, installationId, programId, new Date());
    } catch (error) {
      if (error instanceof AmbiguousProgramError) {
        io.stderr(`mentorship event: program "${terminalText(programId)}" exists in several installations (${error.installationIds.join(", ")}): add --installation ID\n`);
        return 1;
      }
      if (error instanceof NotOpenProgramError) {
        io.stderr(`mentorship event: ${terminalText(error.message)}; for its response times: mentorship report --program ${terminalText(programId)}\n`);
        return 1;
      }
      throw error;
    }
    if (report === null) {
      io.stderr(`mentorship event: unknown program "${terminalText(programId)}" (see mentorship programs)\n`);
      return 1;
    }
    if (format === "json") io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else if (format === "md") io.stdout(renderEventProgress(report));
    else io.stdout(renderEventTable(report));
    return 0;
  });
}

const STATE: Record<EventPr["state"], string> = { accepted: "accepted", pending: "in review period", open: "waiting", draft: "draft", excluded: "not counted" };

export function renderEventTable(report: OpenProgramReport): string {
  const t = report.totals;
  const day = report.workingDaySeconds;
  const out = [
    `${terminalText(report.name)} (${terminalText(report.program)}): ${t.participants} participants, ${t.reachedGoal} at the goal of ${report.rules.goal}, ${t.flagged} flagged for spam`,
    `${t.prs} PRs: ${t.accepted} accepted, ${t.pending} in review period, ${t.open} waiting, ${t.drafts} drafts, ${t.excluded} not counted`,
    "",
    "REPOSITORIES",
    table(
      ["Repository", "Maintainers", "PRs", "Accepted", "Pending", "Waiting", "Not counted", "p50", "p90", "Unanswered"],
      report.repos.map((r) => [
        terminalText(r.repo),
        r.maintainers.map(terminalText).join(", ") || "—",
        String(r.prs),
        String(r.accepted),
        String(r.pending),
        String(r.open),
        String(r.excluded),
        formatOptionalDuration(r.latency.p50Seconds, day),
        formatOptionalDuration(r.latency.p90Seconds, day),
        String(r.latency.waiting),
      ]),
    ),
    "PARTICIPANTS",
    table(
      ["Participant", "Accepted", "Pending", "Goal", "Flag", "Pull requests"],
      report.participants.map((p) => [
        terminalText(p.login),
        String(p.accepted),
        String(p.pending),
        p.reachedGoal ? "reached" : "",
        p.flagged ? `${p.spamPrs} spam PRs` : "",
        p.prs.map((pr) => `${terminalText(pr.repo)}#${pr.number} ${STATE[pr.state]}${pr.reason ? ` (${pr.reason})` : ""}`).join(", "),
      ]),
    ),
  ];
  return out.join("\n");
}
