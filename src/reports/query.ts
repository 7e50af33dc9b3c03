/**
 * What the three report interfaces (slash command, HTTP API, CLI) share around the one report
 * function: turning user arguments into its filters, naming where the full report is, and the
 * operator's list of programs across installations.
 */
import type { Kysely } from "kysely";
import { type DateBound, boundEnd, boundStart } from "../commands/parse.js";
import type { Database } from "../db/schema.js";
import { findInstallation, installationsWithRoster } from "../db/rosters.js";
import { type ReportFilters, listPrograms } from "./response-times.js";

export interface ReportArguments {
  since: DateBound | null;
  until: DateBound | null;
  project: string | null;
  mentor: string | null;
}

/** Dates stay dates: the report reads them as days of the program's timezone. */
export function toReportFilters(args: ReportArguments): ReportFilters {
  return { since: args.since, until: args.until, project: args.project, mentor: args.mentor };
}

/** `since` at or after the end of `until`: a window nothing can fall in (a one-day window is fine). */
export function isEmptyWindow(args: Pick<ReportArguments, "since" | "until">): boolean {
  return args.since !== null && args.until !== null && boundStart(args.since) >= boundEnd(args.until);
}

/** The API path of a program's report with the same filters. */
export function reportApiPath(programId: string, args: ReportArguments): string {
  const query = new URLSearchParams();
  if (args.since) query.set("since", boundText(args.since));
  if (args.until) query.set("until", boundText(args.until));
  if (args.project) query.set("project", args.project);
  if (args.mentor) query.set("mentor", args.mentor);
  const qs = query.toString();
  return `/api/v1/programs/${encodeURIComponent(programId)}/response-times${qs ? `?${qs}` : ""}`;
}

/** The CLI command that prints a program's report with the same filters. */
export function reportCliCommand(programId: string, args: ReportArguments): string {
  const parts = ["mentorship", "report", "--program", programId];
  if (args.project) parts.push("--project", args.project);
  if (args.mentor) parts.push("--mentor", args.mentor);
  if (args.since) parts.push("--since", boundText(args.since));
  if (args.until) parts.push("--until", boundText(args.until));
  return parts.join(" ");
}

function boundText(bound: DateBound): string {
  return "date" in bound ? bound.date : bound.instant;
}

export interface ProgramListing {
  id: string;
  name: string;
  starts: string;
  ends: string;
  installationId: number;
  /** The org (or user) the app is installed on. */
  account: string;
}

/** Every program of every live installation with a roster, by account then roster order. */
export async function allPrograms(db: Kysely<Database>): Promise<ProgramListing[]> {
  const out: ProgramListing[] = [];
  for (const installationId of await installationsWithRoster(db)) {
    const installation = await findInstallation(db, installationId);
    const account = installation?.account_login ?? String(installationId);
    for (const p of await listPrograms(db, installationId)) {
      out.push({ id: p.id, name: p.name, starts: p.starts, ends: p.ends, installationId, account });
    }
  }
  return out.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}
