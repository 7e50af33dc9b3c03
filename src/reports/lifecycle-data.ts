/**
 * Where each enrolment stands in its program's lifecycle, in what may be shown publicly: the state of
 * every evaluation form ("submitted", "due in 3 days", "late", never what it said) and each mentor's
 * check-ins with the mentee. Read by the progress comment, the report JSON and the CLI.
 */
import type { Kysely, Transaction } from "kysely";
import { pairKey, projectCheckIns } from "../db/check-ins.js";
import { evaluationRecords } from "../db/evaluations.js";
import { loadModel } from "../db/rosters.js";
import type { Database } from "../db/schema.js";
import { checkInStats } from "../domain/check-ins.js";
import { formLabel, menteeForms, type FormSide, type FormState } from "../domain/evaluations.js";
import { roundsOf, toInstant, type ProgramModel, type ProjectModel } from "../domain/program.js";
import { type Naming, namingFor } from "../domain/privacy.js";
import type { CalendarDate, Instant } from "../domain/types.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface MenteeLifecycle {
  project: string;
  mentee: string;
  evaluations: Array<{ round: string; title: string; side: FormSide; state: FormState; due: CalendarDate; label: string }>;
  checkIns: Array<{
    mentor: string;
    lastAt: Instant | null;
    longestGapSeconds: number;
    /** Cadence periods over and how many had a check-in; null when the program sets no cadence. */
    periods: number | null;
    periodsKept: number | null;
  }>;
}

/** Whether the program uses any of this: otherwise readers show nothing new. */
export function hasLifecycle(program: ProgramModel): boolean {
  return roundsOf(program).length > 0 || (program.checkInSeconds ?? null) !== null;
}

export async function projectLifecycle(
  db: Db,
  installationId: number,
  program: ProgramModel,
  project: ProjectModel,
  now: Instant,
  naming: Naming,
): Promise<MenteeLifecycle[]> {
  const rounds = roundsOf(program);
  const ids = project.mentees.map((m) => m.id);
  const records = rounds.length === 0 ? [] : await evaluationRecords(db, installationId, program.id, ids);
  const checkIns = await projectCheckIns(db, installationId, program.id, project.id);
  const cadence = program.checkInSeconds ?? null;
  const titles = new Map(rounds.map((r) => [r.id, r.title]));
  return project.mentees.map((mentee) => ({
    project: project.id,
    mentee: naming.name(mentee, "mentee"),
    evaluations: menteeForms({ rounds, menteeId: mentee.id, terms: project.menteeTerms ?? [], records, timezone: program.timezone, now }).map((f) => ({
      round: f.roundId,
      title: titles.get(f.roundId)!,
      side: f.side,
      state: f.state,
      due: f.due,
      label: formLabel(f),
    })),
    checkIns: project.mentors.map((mentor) => {
      const stats = checkInStats({
        checkIns: checkIns.get(pairKey(mentor.id, mentee.id)) ?? [],
        window: program.window,
        cadenceSeconds: cadence ?? Number.POSITIVE_INFINITY,
        now,
      });
      return {
        mentor: naming.name(mentor, "mentor"),
        lastAt: stats.lastAt,
        longestGapSeconds: stats.longestGapSeconds,
        periods: cadence === null ? null : stats.periods,
        periodsKept: cadence === null ? null : stats.periodsKept,
      };
    }),
  }));
}

/** Every enrolment of the program, optionally of one project or one mentor's mentees. */
export async function programLifecycle(
  db: Db,
  installationId: number,
  program: ProgramModel,
  now: Instant,
  naming: Naming,
  filter: { project?: string | null; mentor?: string | null } = {},
): Promise<MenteeLifecycle[]> {
  const mentor = filter.mentor?.toLowerCase() ?? null;
  const projects = program.projects.filter(
    (p) => (!filter.project || p.id === filter.project) && (mentor === null || p.mentors.some((m) => m.login.toLowerCase() === mentor)),
  );
  const all: MenteeLifecycle[] = [];
  // One project after the other: the embedded database serves one query at a time anyway.
  for (const project of projects) {
    const rows = await projectLifecycle(db, installationId, program, project, now, naming);
    // The mentor filter names a login; the rows may show that mentor by their label.
    const shownMentor = project.mentors.find((m) => m.login.toLowerCase() === mentor);
    const theirs = shownMentor === undefined ? null : naming.name(shownMentor, "mentor");
    all.push(...rows.map((m) => (mentor === null ? m : { ...m, checkIns: m.checkIns.filter((c) => c.mentor === theirs) })));
  }
  return all;
}

/**
 * The response-time report with each enrolment's `evaluations` and `checkIns` beside it, for the JSON
 * the API and the CLI print; unchanged when the program has neither rounds nor a cadence.
 */
export async function withLifecycle<R extends object>(
  db: Kysely<Database>,
  installationId: number,
  programId: string,
  report: R,
  filter: { project?: string | null; mentor?: string | null },
  now: Date,
): Promise<R | (R & { mentees: MenteeLifecycle[] })> {
  const model = await loadModel(db, installationId);
  const program = model?.programs.find((p) => p.id === programId);
  if (!program || !hasLifecycle(program)) return report;
  return { ...report, mentees: await programLifecycle(db, installationId, program, toInstant(now), namingFor(model), filter) };
}
