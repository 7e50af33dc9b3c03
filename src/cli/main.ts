import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EnvError, loadEnv } from "../config/env.js";
import { DEMO_HELP, demoCommand } from "./demo.js";
import { DOCTOR_HELP, doctorCommand } from "./doctor.js";
import type { CliIo } from "./io.js";
import { BACKFILL_HELP, backfillCommand } from "./backfill.js";
import { formatRosterError, parseRoster, summarizeRoster } from "../config/roster.js";
import { openDatabase } from "../db/connection.js";
import { migrateToLatest } from "../db/migrate.js";
import { EVALUATE_HELP, EVALUATIONS_HELP, evaluateCommand, evaluationsCommand } from "./evaluations.js";
import { INSIGHTS_HELP, insightsCommand } from "./insights.js";
import { EVENT_HELP, eventCommand } from "./event.js";
import { PROGRAMS_HELP, REPORT_HELP, programsCommand, reportCommand } from "./report.js";

/** Exit codes: 0 success, 1 failure, 2 bad arguments. */
class UsageError extends Error {}

const HELP = `mentorship — the mentorship-tracker command line

Usage:
  mentorship migrate                 apply database migrations (DATABASE_URL, or the embedded database)
  mentorship doctor                  check an installed app end to end: credentials, webhook, rosters, database
  mentorship roster check FILE       validate a roster file before you push it
  mentorship programs                list every program (id, name, dates, org)
  mentorship report --program ID     mentor response times (table, json, csv or md)
  mentorship event --program ID      an open program (Hacktoberfest): participants, PR states, maintainers
  mentorship evaluate ...            record a mentor's evaluation form (pass, fail, extend)
  mentorship evaluations ...         every evaluation form of a program: who owes what
  mentorship insights                participants, retention, returning mentors (table, json, csv or markdown)
  mentorship backfill                import history from GitHub (resumable; the app also does it on install)
  mentorship demo [--keep]           replay a fictional program through the real app, offline
  mentorship help                    this text

Every command takes --help.`;

const COMMANDS: Record<string, { help: string; run: (args: string[], io: CliIo) => Promise<number> }> = {
  migrate: {
    help: `Usage: mentorship migrate

Applies every pending migration to DATABASE_URL, or to the embedded database under DATA_DIR
(default .data) when DATABASE_URL is unset. A second run has nothing to do.`,
    run: migrate,
  },
  roster: {
    help: `Usage: mentorship roster check FILE

Validates a roster (.github/mentorship.yml) locally. Prints a one-line summary and exits 0, or
prints every problem with its YAML path and line and exits 1.`,
    run: roster,
  },
  programs: { help: PROGRAMS_HELP, run: programsCommand },
  report: { help: REPORT_HELP, run: reportCommand },
  event: { help: EVENT_HELP, run: eventCommand },
  evaluate: { help: EVALUATE_HELP, run: evaluateCommand },
  evaluations: { help: EVALUATIONS_HELP, run: evaluationsCommand },
  insights: { help: INSIGHTS_HELP, run: insightsCommand },
  backfill: { help: BACKFILL_HELP, run: backfillCommand },
  demo: { help: DEMO_HELP, run: demoCommand },
  doctor: { help: DOCTOR_HELP, run: doctorCommand },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    io.stdout(`${HELP}\n`);
    return command ? 0 : 2;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr(`mentorship: unknown command "${command}" (see mentorship help)\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`${entry.help}\n`);
    return 0;
  }
  try {
    return await entry.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`mentorship ${command}: ${error.message}\n`);
      return 2;
    }
    const lines = error instanceof EnvError ? error.problems : [error instanceof Error ? error.message : String(error)];
    for (const line of lines) io.stderr(`mentorship ${command}: ${line}\n`);
    return 1;
  }
}

function parse(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>["options"] = {}) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function migrate(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const env = loadEnv(io.env);
  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: join(env.dataDir, "pglite") });
  try {
    const { applied } = await migrateToLatest(database.db, database.connectionString);
    const where = database.embedded ? `embedded database in ${join(env.dataDir, "pglite")}` : "database";
    io.stdout(applied.length === 0 ? `${where}: nothing to do, already up to date\n` : `${where}: applied ${applied.join(", ")}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

async function roster(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args);
  const [sub, file, extra] = positionals;
  if (sub !== "check") throw new UsageError(sub ? `unknown subcommand "${sub}" (try: roster check FILE)` : "missing subcommand (try: roster check FILE)");
  if (!file) throw new UsageError("missing FILE (the roster to check)");
  if (extra) throw new UsageError(`unexpected argument "${extra}"`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    io.stderr(`mentorship roster: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})\n`);
    return 1;
  }
  const parsed = parseRoster(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.stderr(`${file}: ${formatRosterError(e)}\n`);
    io.stderr(`${parsed.errors.length} problem${parsed.errors.length === 1 ? "" : "s"}\n`);
    return 1;
  }
  io.stdout(`${file}: ok, ${summarizeRoster(parsed.roster)}\n`);
  return 0;
}
