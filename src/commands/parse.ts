/**
 * The `/mentorship` slash command, parsed from the first line of a comment. Pure: no clock, no
 * roster; whether a program or project exists is for the caller to say.
 *
 * Grammar (tokens split on whitespace; `--flag value` and `--flag=value` both work):
 *   /mentorship [help]
 *   /mentorship report [PROGRAM] [--project ID] [--mentor LOGIN] [--since DATE] [--until DATE]
 *   /mentorship status
 *   /mentorship checkin @MENTEE [NOTE…]
 *   /mentorship insights [PROGRAM]
 * The command word and subcommand are matched case-insensitively (phones capitalise the first
 * letter); ids and logins keep their case, since ids are compared as written.
 */
import type { CalendarDate, Instant } from "../domain/types.js";
import { addDays, toInstant } from "../domain/program.js";
import { GITHUB_LOGIN } from "../render/safe-text.js";

export interface ReportArgs {
  program: string | null;
  project: string | null;
  /** A GitHub login without `@`. */
  mentor: string | null;
  since: DateBound | null;
  until: DateBound | null;
}

export type SlashCommand =
  | { name: "help" }
  | { name: "status" }
  | { name: "report"; args: ReportArgs }
  | { name: "checkin"; mentee: string; note: string | null }
  | { name: "insights"; program: string | null };

export type ParsedCommand = { ok: true; command: SlashCommand } | { ok: false; reason: string };

/** A date as the user wrote it: a whole UTC day, or an exact instant. */
export type DateBound = { date: CalendarDate } | { instant: Instant };

export const SLASH_HELP = [
  "**`/mentorship` commands** (first line of a comment; for program admins, mentors and people with write access)",
  "",
  "- `/mentorship report [PROGRAM] [--project ID] [--mentor LOGIN] [--since YYYY-MM-DD] [--until YYYY-MM-DD]`: mentor response times. PROGRAM may be left out while exactly one program is running.",
  "- `/mentorship status`: refresh this project's progress comment now.",
  "- `/mentorship checkin @MENTEE [note]`: a mentor records a check-in with their mentee (answered with a reaction).",
  "- `/mentorship insights [PROGRAM]`: participants per year, retention, returning mentors (roster admins only).",
  "- `/mentorship help`: this list.",
].join("\n");

const COMMAND_WORD = "/mentorship";
const REPORT_FLAGS = ["project", "mentor", "since", "until"] as const;
type ReportFlag = (typeof REPORT_FLAGS)[number];
// Roster ids: see `ID_RE` in src/config/roster.ts. A looser rule here would only make a later
// "unknown program" message quote something odd.
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The command on the first line of `body`, or null when that line is not a `/mentorship` command. */
export function parseSlashCommand(body: string): ParsedCommand | null {
  const firstLine = String(body).split(/\r?\n/, 1)[0] ?? "";
  const tokens = firstLine.trim().split(/\s+/).filter(Boolean);
  if (tokens[0]?.toLowerCase() !== COMMAND_WORD) return null;
  const [sub, ...rest] = tokens.slice(1);
  if (sub === undefined) return ok({ name: "help" });
  switch (sub.toLowerCase()) {
    case "help":
    case "--help":
    case "-h":
      return ok({ name: "help" });
    case "status":
      return rest.length === 0 ? ok({ name: "status" }) : fail(`\`status\` takes no arguments (got ${quote(rest[0]!)})`);
    case "report":
      return parseReport(rest);
    case "checkin":
    case "check-in":
      return parseCheckIn(rest);
    case "insights":
      if (rest.length > 1) return fail(`\`insights\` takes at most one program (got ${quote(rest[1]!)})`);
      if (rest[0] !== undefined && !ID.test(rest[0])) return fail(`${quote(rest[0])} is not a program id`);
      return ok({ name: "insights", program: rest[0] ?? null });
    default:
      return fail(`unknown command ${quote(sub)}`);
  }
}

function parseReport(tokens: string[]): ParsedCommand {
  const args: ReportArgs = { program: null, project: null, mentor: null, since: null, until: null };
  const seen = new Set<ReportFlag>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith("-")) {
      if (args.program !== null) return fail(`unexpected argument ${quote(token)} (the program is already ${quote(args.program)})`);
      if (!ID.test(token)) return fail(`${quote(token)} is not a program id`);
      args.program = token;
      continue;
    }
    const eq = token.indexOf("=");
    const name = (eq === -1 ? token : token.slice(0, eq)).replace(/^--?/, "").toLowerCase();
    if (!(REPORT_FLAGS as readonly string[]).includes(name) || !token.startsWith("--")) return fail(`unknown option ${quote(eq === -1 ? token : token.slice(0, eq))}`);
    const flag = name as ReportFlag;
    if (seen.has(flag)) return fail(`\`--${flag}\` given twice`);
    seen.add(flag);
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else if (i + 1 < tokens.length && !tokens[i + 1]!.startsWith("--")) value = tokens[++i];
    if (!value) return fail(`\`--${flag}\` needs ${FLAG_VALUE[flag]}`);

    const problem = applyFlag(args, flag, value);
    if (problem) return fail(problem);
  }
  if (args.since && args.until && boundStart(args.since) >= boundEnd(args.until)) return fail("`--since` must be before `--until`");
  return ok({ name: "report", args });
}

function parseCheckIn(tokens: string[]): ParsedCommand {
  const [who, ...note] = tokens;
  if (who === undefined) return fail("`checkin` needs the mentee, as in `/mentorship checkin @login`");
  const mentee = who.replace(/^@/, "");
  if (!GITHUB_LOGIN.test(mentee)) return fail(`${quote(who)} is not a GitHub login`);
  return ok({ name: "checkin", mentee, note: note.length > 0 ? note.join(" ") : null });
}

const FLAG_VALUE: Record<ReportFlag, string> = {
  project: "a project id",
  mentor: "a GitHub login",
  since: "a date (YYYY-MM-DD)",
  until: "a date (YYYY-MM-DD)",
};

function applyFlag(args: ReportArgs, flag: ReportFlag, value: string): string | null {
  switch (flag) {
    case "project":
      if (!ID.test(value)) return `${quote(value)} is not a project id`;
      args.project = value;
      return null;
    case "mentor": {
      // People type `@login`; accept it (the `@` in their own comment already pinged, or not).
      const login = value.replace(/^@/, "");
      if (!GITHUB_LOGIN.test(login)) return `${quote(value)} is not a GitHub login`;
      args.mentor = login;
      return null;
    }
    case "since":
    case "until": {
      const bound = parseDateBound(value);
      if (!bound) return `\`--${flag}\`: ${quote(value)} is not a date (use YYYY-MM-DD)`;
      args[flag] = bound;
      return null;
    }
  }
}

/**
 * `YYYY-MM-DD` (a real calendar day) or an ISO-8601 instant with `Z` or an offset. Anything else,
 * including `2026-02-30` and local times without a zone, is null: a guessed date gives a
 * plausible-looking wrong report.
 */
export function parseDateBound(text: string): DateBound | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const t = new Date(Date.UTC(y, m - 1, d));
    if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
    return { date: text };
  }
  const instant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!instant) return null;
  if (parseDateBound(`${instant[1]}-${instant[2]}-${instant[3]}`) === null) return null;
  if (Number(instant[4]) > 23 || Number(instant[5]) > 59 || Number(instant[6] ?? 0) > 59) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : { instant: toInstant(ms) };
}

/** The first instant a `--since` bound admits. */
export function boundStart(bound: DateBound): Instant {
  return "date" in bound ? `${bound.date}T00:00:00Z` : bound.instant;
}

/**
 * The instant a `--until` bound stops before: a date includes that whole (UTC) day, so
 * `--since 2026-07-01 --until 2026-07-01` is one day.
 */
export function boundEnd(bound: DateBound): Instant {
  return "date" in bound ? `${addDays(bound.date, 1)}T00:00:00Z` : bound.instant;
}

function ok(command: SlashCommand): ParsedCommand {
  return { ok: true, command };
}

function fail(reason: string): ParsedCommand {
  return { ok: false, reason };
}

/** User text quoted for a reason line: short, one line, inside a code span it cannot break. */
function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return `\`${short.replace(/`/g, "'")}\``;
}
