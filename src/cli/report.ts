/**
 * `mentorship programs` and `mentorship report`: the report for people at a terminal, straight
 * from the database (DATABASE_URL, or the embedded one under DATA_DIR). No GitHub credentials needed.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type DateBound, parseDateBound } from "../commands/parse.js";
import { loadEnv } from "../config/env.js";
import { type DatabaseHandle, openDatabase } from "../db/connection.js";
import { loadModel } from "../db/rosters.js";
import type { ResponseTimeReport } from "../domain/types.js";
import { renderReportCsv } from "../render/report-csv.js";
import { renderReportMarkdown } from "../render/report-markdown.js";
import { displayWidth, renderReportTable, terminalText } from "../render/report-table.js";
import { GITHUB_LOGIN } from "../render/safe-text.js";
import { withLifecycle } from "../reports/lifecycle-data.js";
import { allPrograms, isEmptyWindow, toReportFilters } from "../reports/query.js";
import { UnknownFilterError, UnknownProgramError, findProgramInstallation, responseTimeReport } from "../reports/response-times.js";
import type { CliIo } from "./io.js";

export const PROGRAMS_HELP = `Usage: mentorship programs [--format table|json]

Lists every program of every installation: id, name, dates and the org it belongs to.
Reads DATABASE_URL, or the embedded database under DATA_DIR (default .data) when it is unset
(stop the app first: the embedded database serves one process at a time).`;

export const REPORT_HELP = `Usage: mentorship report --program ID [options]
       mentorship report ID [options]

Mentor response times for one program, from the database the app writes (DATABASE_URL, or the
embedded database under DATA_DIR; stop the app first when it is embedded).

Options:
  --program ID          the program (see mentorship programs)
  --project ID          only this project's requests
  --mentor LOGIN        only requests of this mentor's mentees
  --since DATE          requests opened on or after this day (YYYY-MM-DD, in the program's timezone)
                        or instant (ISO-8601)
  --until DATE          requests opened up to and including this day, or before this instant
  --format FORMAT       table (default), json, csv or md
  --installation ID     when two installations use the same program id

Exit codes: 0 report printed, 1 failure (unknown program, project or mentor; database unreachable),
2 bad arguments.`;

const REPORT_FORMATS = ["table", "json", "csv", "md"] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

class Usage extends Error {}

export async function programsCommand(args: string[], io: CliIo): Promise<number> {
  let format: "table" | "json";
  try {
    const { values, positionals } = parseArgs({ args, options: { format: { type: "string" } }, allowPositionals: true, strict: true });
    if (positionals.length > 0) throw new Usage(`unexpected argument "${positionals[0]}"`);
    const f = values.format ?? "table";
    if (f !== "table" && f !== "json") throw new Usage(`--format must be table or json, not "${f}"`);
    format = f;
  } catch (error) {
    return usage(io, "programs", error);
  }
  return withDatabase(io, "programs", async (database) => {
    const programs = await allPrograms(database.db);
    if (format === "json") {
      io.stdout(`${JSON.stringify({ programs }, null, 2)}\n`);
      return 0;
    }
    if (programs.length === 0) {
      io.stdout("no programs yet (no installation has loaded a roster)\n");
      return 0;
    }
    io.stdout(
      table(
        ["PROGRAM", "NAME", "STARTS", "ENDS", "ORG"],
        programs.map((p) => [terminalText(p.id), terminalText(p.name), p.starts, p.ends, terminalText(p.account)]),
      ),
    );
    return 0;
  });
}

interface ReportOptions {
  program: string;
  installationId: number | undefined;
  project: string | null;
  mentor: string | null;
  since: DateBound | null;
  until: DateBound | null;
  format: ReportFormat;
}

export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  let options: ReportOptions;
  try {
    options = parseReportArgs(args);
  } catch (error) {
    return usage(io, "report", error);
  }
  return withDatabase(io, "report", async (database) => {
    const installationId = await findProgramInstallation(database.db, options.program, options.installationId);
    if (installationId === null) {
      io.stderr(`mentorship report: unknown program "${terminalText(options.program)}" (see mentorship programs)\n`);
      return 1;
    }
    if (options.project) {
      const program = (await loadModel(database.db, installationId))?.programs.find((p) => p.id === options.program);
      if (program && !program.projects.some((p) => p.id === options.project)) {
        const known = program.projects.map((p) => p.id).join(", ") || "none";
        io.stderr(`mentorship report: program "${options.program}" has no project "${terminalText(options.project)}" (its projects: ${known})\n`);
        return 1;
      }
    }
    let report: ResponseTimeReport;
    try {
      report = await responseTimeReport(database.db, installationId, options.program, toReportFilters(options), new Date());
    } catch (error) {
      if (error instanceof UnknownFilterError) {
        io.stderr(`mentorship report: --${error.parameter}: ${terminalText(error.message)}\n`);
        return 1;
      }
      if (!(error instanceof UnknownProgramError)) throw error;
      io.stderr(`mentorship report: unknown program "${terminalText(options.program)}" (see mentorship programs)\n`);
      return 1;
    }
    switch (options.format) {
      case "table":
        io.stdout(renderReportTable(report));
        break;
      case "json":
        io.stdout(`${JSON.stringify(await withLifecycle(database.db, installationId, options.program, report, toReportFilters(options), new Date()), null, 2)}\n`);
        break;
      case "csv":
        io.stdout(renderReportCsv(report));
        break;
      case "md":
        // Nothing to fit into a GitHub comment here: never truncate.
        io.stdout(renderReportMarkdown(report, { maxLength: Number.MAX_SAFE_INTEGER, fullReportHint: "" }));
        break;
    }
    return 0;
  });
}

function parseReportArgs(args: string[]): ReportOptions {
  const { values, positionals } = parseArgs({
    args,
    options: {
      program: { type: "string" },
      project: { type: "string" },
      mentor: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      format: { type: "string" },
      installation: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) throw new Usage(`unexpected argument "${positionals[1]}"`);
  const positional = positionals[0];
  if (positional !== undefined && values.program !== undefined && positional !== values.program) {
    throw new Usage(`two programs given: "${positional}" and --program "${values.program}"`);
  }
  const program = values.program ?? positional;
  if (!program) throw new Usage("missing --program ID (see mentorship programs)");

  const format = values.format ?? "table";
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new Usage(`--format must be one of ${REPORT_FORMATS.join(", ")}, not "${format}"`);

  let installationId: number | undefined;
  if (values.installation !== undefined) {
    if (!/^\d+$/.test(values.installation)) throw new Usage(`--installation must be a numeric installation id, not "${values.installation}"`);
    installationId = Number(values.installation);
  }
  const mentor = values.mentor === undefined ? null : values.mentor.replace(/^@/, "");
  if (mentor !== null && !GITHUB_LOGIN.test(mentor)) throw new Usage(`--mentor: "${values.mentor}" is not a GitHub login`);

  const date = (flag: "since" | "until"): DateBound | null => {
    const text = values[flag];
    if (text === undefined) return null;
    const bound = parseDateBound(text);
    if (!bound) throw new Usage(`--${flag}: "${text}" is not a date (use YYYY-MM-DD)`);
    return bound;
  };
  const options: ReportOptions = {
    program,
    installationId,
    project: values.project ?? null,
    mentor,
    since: date("since"),
    until: date("until"),
    format: format as ReportFormat,
  };
  if (isEmptyWindow(options)) throw new Usage("--since must be before --until");
  return options;
}

function usage(io: CliIo, command: string, error: unknown): number {
  // parseArgs throws TypeErrors with a readable message for unknown options and missing values,
  // from Node's own realm (so no instanceof), and appends advice about `--` nobody here needs.
  const message = String((error as { message?: unknown })?.message ?? error);
  io.stderr(`mentorship ${command}: ${message.split("\n", 1)[0]!.replace(/\. To specify a positional argument.*$/, "")}\n`);
  return 2;
}

export async function withDatabase(io: CliIo, command: string, run: (database: DatabaseHandle) => Promise<number>): Promise<number> {
  const env = loadEnv(io.env);
  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: join(env.dataDir, "pglite") });
  try {
    return await run(database);
  } catch (error) {
    io.stderr(`mentorship ${command}: ${describeDatabaseError(error)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

function describeDatabaseError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number; code?: string };
  if (e?.code === "ECONNREFUSED") return `cannot reach the database at ${e.address}:${e.port} (is PostgreSQL running? check DATABASE_URL)`;
  if (e?.code === "ENOTFOUND") return "cannot resolve the database host (check DATABASE_URL)";
  // undefined_table: a database nobody has migrated yet.
  if (e?.code === "42P01") return "the database has no tables yet: run mentorship migrate first";
  if (e instanceof AggregateError && e.errors.length > 0) return describeDatabaseError(e.errors[0]);
  return e instanceof Error ? e.message : String(error);
}

/** Left-aligned columns padded by display width, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(c))))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}
