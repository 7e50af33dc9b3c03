/**
 * Recording evaluation forms for an identified caller, shared by the HTTP API and the CLI, and what a
 * caller may read back. A refusal is one and the same answer whether or not the program or the mentee
 * exists, so it tells an outsider nothing.
 */
import { programContext, type ProgramContext } from "./program-context.js";
import type { Kysely } from "kysely";
import type { AppDeps } from "../deps.js";
import { evaluationRecords, recordEvaluation, type StoredEvaluation } from "../db/evaluations.js";
import type { Database } from "../db/schema.js";
import { buildRecord, callerRole, findCallersEnrolment, isAdmin, type Submission } from "../domain/evaluation-access.js";
import { formLabel, menteeForms, type Completion } from "../domain/evaluations.js";
import { roundsOf, toInstant, type Person } from "../domain/program.js";
import { enqueueProgressRefresh } from "../jobs/refresh-progress.js";
import { AmbiguousProgramError } from "./response-times.js";

export const NOT_ALLOWED = "not allowed: only the mentee's mentors or a program admin may record this, and a mentee only their own feedback";

export interface EvaluationRequest extends Submission {
  mentee: string;
  project?: string | undefined;
  installationId?: number | null | undefined;
}

export type Outcome<T> =
  | { status: 200 | 201; body: T }
  | { status: 403 | 404 | 422; error: string }
  | { status: 409; error: string; installations: number[] };


export interface RecordedEvaluation {
  id: number;
  program: string;
  project: string;
  mentee: string;
  round: string;
  side: "mentor" | "mentee";
  recordedBy: string;
  recordedAt: string;
  /** The form's public state after this record: "submitted", or "due in N days" after an extend. */
  form: string;
  completion: Completion;
}

export async function submitEvaluation(
  deps: Pick<AppDeps, "db" | "timing" | "now">,
  programId: string,
  caller: Person,
  request: EvaluationRequest,
): Promise<Outcome<RecordedEvaluation>> {
  const context = await programContext(deps.db, programId, request.installationId);
  if (context instanceof AmbiguousProgramError) {
    return { status: 409, error: `program "${programId}" exists in several installations: add installation`, installations: context.installationIds };
  }
  if (context === null) return { status: 403, error: NOT_ALLOWED };
  const found = findCallersEnrolment(context.model, context.program, request.mentee, caller.id, request.project);
  if (!found) {
    // Admins may know who is enrolled; everyone else learns nothing from the answer.
    if (isAdmin(context.model, caller.id)) return { status: 404, error: `no mentee "${request.mentee}" in program "${programId}"` };
    return { status: 403, error: NOT_ALLOWED };
  }
  const { enrolment, role } = found;
  const now = toInstant(deps.now());
  const history = await evaluationRecords(deps.db, context.installationId, programId, [enrolment.mentee.id]);
  const built = buildRecord({ enrolment, role, caller, submission: request, history, now });
  if (!built.ok) return { status: 422, error: built.error };
  const scope = { installationId: context.installationId, program: context.program, project: enrolment.project };
  const saved = await recordEvaluation(deps.db, scope, { ...built.record, menteeLogin: enrolment.mentee.login });
  await enqueueProgressRefresh(deps, context.installationId, programId, enrolment.project.id);
  const form = menteeForms({
    rounds: roundsOf(context.program),
    menteeId: enrolment.mentee.id,
    terms: enrolment.project.menteeTerms ?? [],
    records: [...history, built.record],
    timezone: context.program.timezone,
    now,
  }).find((f) => f.roundId === built.record.roundId && f.side === built.record.side)!;
  return {
    status: 201,
    body: {
      id: saved.id,
      program: programId,
      project: enrolment.project.id,
      mentee: enrolment.mentee.login,
      round: built.record.roundId,
      side: built.record.side,
      recordedBy: caller.login,
      recordedAt: now,
      form: formLabel(form),
      completion: saved.completion,
    },
  };
}

export interface VisibleRecord {
  round: string;
  side: "mentor" | "mentee";
  by: string;
  at: string;
  outcome?: string | null;
  extendTo?: string | null;
  rating?: number | null;
  note?: string | null;
}

export interface MenteeEvaluations {
  project: string;
  mentee: string;
  forms: Array<{ round: string; side: "mentor" | "mentee"; state: string; due: string; label: string }>;
  /** Every record the caller may read, oldest first (edits are later records). */
  history: VisibleRecord[];
}

/**
 * What a caller may read: admins every record; a mentor the mentor forms of their own mentees (never
 * the mentee's feedback on them); a mentee their own feedback. Everyone sees the states of the forms
 * of the enrolments they take part in.
 */
export async function visibleEvaluations(
  deps: Pick<AppDeps, "db" | "now">,
  programId: string,
  caller: Person,
  installationId?: number | null,
): Promise<Outcome<{ program: string; mentees: MenteeEvaluations[] }>> {
  const context = await programContext(deps.db, programId, installationId);
  if (context instanceof AmbiguousProgramError) {
    return { status: 409, error: `program "${programId}" exists in several installations: add installation`, installations: context.installationIds };
  }
  if (context === null) return { status: 403, error: NOT_ALLOWED };
  const records = await evaluationRecords(deps.db, context.installationId, programId);
  const now = toInstant(deps.now());
  const mentees: MenteeEvaluations[] = [];
  for (const project of context.program.projects) {
    for (const mentee of project.mentees) {
      const role = callerRole(context.model, { program: context.program, project, mentee }, caller.id);
      if (role === null) continue;
      const readable = (r: StoredEvaluation) => role === "admin" || (role === "mentor" ? r.side === "mentor" : r.side === "mentee");
      const own = records.filter((r) => r.menteeId === mentee.id);
      const forms = menteeForms({ rounds: roundsOf(context.program), menteeId: mentee.id, terms: project.menteeTerms ?? [], records: own, timezone: context.program.timezone, now });
      mentees.push({
        project: project.id,
        mentee: mentee.login,
        forms: forms.map((f) => ({ round: f.roundId, side: f.side, state: f.state, due: f.due, label: formLabel(f) })),
        history: own.filter(readable).map((r) => ({
          round: r.roundId,
          side: r.side,
          by: r.authorLogin,
          at: r.recordedAt,
          ...(r.side === "mentor" ? { outcome: r.outcome, extendTo: r.extendTo } : { rating: r.rating }),
          note: r.note,
        })),
      });
    }
  }
  if (mentees.length === 0) return { status: 403, error: NOT_ALLOWED };
  return { status: 200, body: { program: programId, mentees } };
}

/** An admin or a mentor of the program, by login: who an operator may record a form for with `--by`. */
export async function programStaff(db: Kysely<Database>, programId: string, login: string, installationId?: number | null): Promise<Person | null> {
  const context = await programContext(db, programId, installationId);
  if (context === null || context instanceof AmbiguousProgramError) return null;
  const key = login.toLowerCase();
  const staff = [...context.model.admins, ...context.program.projects.flatMap((p) => p.mentors)];
  return staff.find((p) => p.login.toLowerCase() === key) ?? null;
}

export interface OwedForm {
  project: string;
  mentee: string;
  round: string;
  side: "mentor" | "mentee";
  state: string;
  due: string;
  label: string;
  /** Who fills it in: the project's mentors, or the mentee. */
  owedBy: string[];
}

/** Every form of every enrolment in the program with its public state: who owes what. */
export async function programForms(db: Kysely<Database>, programId: string, now: Date, installationId?: number | null): Promise<OwedForm[] | null> {
  const context = await programContext(db, programId, installationId);
  if (context === null || context instanceof AmbiguousProgramError) return null;
  const records = await evaluationRecords(db, context.installationId, programId);
  return context.program.projects.flatMap((project) =>
    project.mentees.flatMap((mentee) =>
      menteeForms({
        rounds: roundsOf(context.program),
        menteeId: mentee.id,
        terms: project.menteeTerms ?? [],
        records,
        timezone: context.program.timezone,
        now: toInstant(now),
      }).map((f) => ({
        project: project.id,
        mentee: mentee.login,
        round: f.roundId,
        side: f.side,
        state: f.state,
        due: f.due,
        label: formLabel(f),
        owedBy: f.side === "mentee" ? [mentee.login] : project.mentors.map((m) => m.login),
      })),
    ),
  );
}
