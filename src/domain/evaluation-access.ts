/**
 * Who may record which evaluation form, and whether a submission makes sense. Pure.
 *
 * - A mentor form: the mentee's own mentors (of the project they are enrolled in) or a roster admin.
 * - A mentee form: only that mentee, about their own mentoring.
 * Anyone else gets one answer, whatever exists, so a refusal tells them nothing about the roster.
 */
import { effectiveDue, sidesOf, type EvaluationOutcome, type EvaluationRound, type FormSide } from "./evaluations.js";
import { startOfDay } from "./milestones.js";
import { roundsOf, type InstallationModel, type Person, type ProgramModel, type ProjectModel } from "./program.js";
import type { EvaluationRecord } from "./evaluations.js";
import type { CalendarDate, Instant } from "./types.js";

export const MAX_NOTE_LENGTH = 4000;

export interface Enrolment {
  program: ProgramModel;
  project: ProjectModel;
  mentee: Person;
}

export type CallerRole = "admin" | "mentor" | "mentee";

/** How the caller relates to this enrolment, or null when they have no part in it. */
export function callerRole(model: InstallationModel, enrolment: Enrolment, callerId: number): CallerRole | null {
  if (enrolment.mentee.id === callerId) return "mentee";
  if (enrolment.project.mentors.some((m) => m.id === callerId)) return "mentor";
  if (model.admins.some((a) => a.id === callerId)) return "admin";
  return null;
}

/**
 * The mentee's enrolment (by login, case-insensitive, optionally in one project) that the caller takes
 * part in, with the caller's role. A mentee may be enrolled in several projects of a program, each with
 * its own mentors: the caller's is the one they mentor (or, for the mentee and admins, the first).
 */
export function findCallersEnrolment(
  model: InstallationModel,
  program: ProgramModel,
  menteeLogin: string,
  callerId: number,
  projectId?: string,
): { enrolment: Enrolment; role: CallerRole } | null {
  const key = menteeLogin.toLowerCase();
  for (const project of program.projects) {
    if (projectId !== undefined && project.id !== projectId) continue;
    const mentee = project.mentees.find((m) => m.login.toLowerCase() === key);
    const enrolment = mentee && { program, project, mentee };
    const role = enrolment && callerRole(model, enrolment, callerId);
    if (enrolment && role) return { enrolment, role };
  }
  return null;
}

export function isAdmin(model: InstallationModel, callerId: number): boolean {
  return model.admins.some((a) => a.id === callerId);
}

export interface Submission {
  round: string;
  outcome?: EvaluationOutcome | undefined;
  extendTo?: CalendarDate | undefined;
  rating?: number | undefined;
  note?: string | undefined;
}

/**
 * The record to append, or the reason the submission cannot be taken (said to a caller who may
 * record for this mentee, so naming the round is fine).
 */
export function buildRecord(input: {
  enrolment: Enrolment;
  role: CallerRole;
  caller: Person;
  submission: Submission;
  history: readonly EvaluationRecord[];
  now: Instant;
}): { ok: true; record: EvaluationRecord } | { ok: false; error: string } {
  const { enrolment, role, caller, submission, history, now } = input;
  const round: EvaluationRound | undefined = roundsOf(enrolment.program).find((r) => r.id === submission.round);
  if (!round) return { ok: false, error: `program "${enrolment.program.id}" has no evaluation round "${submission.round}"` };
  const side: FormSide = role === "mentee" ? "mentee" : "mentor";
  if (!sidesOf(round).includes(side)) {
    return { ok: false, error: `round "${round.id}" takes no ${side} form (by: ${round.by})` };
  }
  if (Date.parse(now) < startOfDay(round.opens, enrolment.program.timezone)) {
    return { ok: false, error: `round "${round.id}" opens on ${round.opens}` };
  }
  const note = submission.note ?? null;
  if (note !== null && note.length > MAX_NOTE_LENGTH) return { ok: false, error: `note is longer than ${MAX_NOTE_LENGTH} characters` };
  const base = {
    roundId: round.id,
    menteeId: enrolment.mentee.id,
    side,
    authorId: caller.id,
    authorLogin: caller.login,
    note,
    recordedAt: now,
  };
  if (side === "mentee") {
    if (submission.outcome !== undefined || submission.extendTo !== undefined) return { ok: false, error: "a mentee form has a rating and a note, not an outcome" };
    if (submission.rating === undefined) return { ok: false, error: "a mentee form needs a rating of the mentoring, 1 to 5" };
    return { ok: true, record: { ...base, outcome: null, rating: submission.rating, extendTo: null } };
  }
  if (submission.rating !== undefined) return { ok: false, error: "only the mentee's own form has a rating" };
  if (submission.outcome === undefined) return { ok: false, error: "a mentor form needs an outcome: pass, fail or extend" };
  if (submission.outcome !== "extend") {
    if (submission.extendTo !== undefined) return { ok: false, error: "extendTo goes with the outcome extend" };
    return { ok: true, record: { ...base, outcome: submission.outcome, rating: null, extendTo: null } };
  }
  const due = effectiveDue(round, enrolment.project.menteeTerms ?? [], history, enrolment.mentee.id);
  if (submission.extendTo === undefined) return { ok: false, error: "extend needs extendTo, the new due date" };
  if (submission.extendTo <= due) return { ok: false, error: `extendTo must be after the current due date (${due})` };
  return { ok: true, record: { ...base, outcome: "extend", rating: null, extendTo: submission.extendTo } };
}
