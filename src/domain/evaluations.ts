/**
 * Evaluation rounds and enrolment outcomes (issue 17). Pure: the clock and the records come in.
 *
 * Decisions:
 * - A round has one form per side: `mentor` (the project's mentors, or an admin, about the mentee) and
 *   `mentee` (the mentee about the mentoring). `by: both` asks for both forms.
 * - Records are append-only; the latest per (mentee, round, side) is the current one, the rest is history.
 * - A form is due until the end of its due day in the program's timezone. The due date is the round's,
 *   moved by the roster's extension for that mentee or by a mentor's `extend` record, whichever is later:
 *   extensions only ever move dates later.
 * - A mentor's `extend` keeps the form owed, against the new date; `pass` and `fail` submit it. Any
 *   mentee record submits the mentee form.
 * - An enrolment that is withdrawn or failed owes no more forms ("excused"), except those already in.
 *   That status comes from the roster only, never from a recorded outcome: what public comments say
 *   (form states, reminders) must not let anyone infer an outcome. An admin ends a failed enrolment's
 *   reminders by setting `status: failed` in the roster.
 */
import { addDays, daysUntil, localDate, startOfDay } from "./milestones.js";
import type { CalendarDate, Instant } from "./types.js";

export type RoundAuthors = "mentor" | "mentee" | "both";
export type FormSide = "mentor" | "mentee";
export type EvaluationOutcome = "pass" | "fail" | "extend";
export type EnrolmentStatus = "active" | "completed" | "withdrawn" | "failed";

export interface EvaluationRound {
  id: string;
  title: string;
  opens: CalendarDate;
  due: CalendarDate;
  by: RoundAuthors;
}

/** What the roster says about one enrolment beyond the login. */
export interface MenteeTerms {
  menteeId: number;
  /** Round id (or `ends`) → later date for this mentee. */
  extensions: Record<string, CalendarDate>;
  status: EnrolmentStatus;
  statusDate: CalendarDate | null;
}

export interface EvaluationRecord {
  roundId: string;
  menteeId: number;
  side: FormSide;
  authorId: number;
  authorLogin: string;
  /** Mentor forms only. */
  outcome: EvaluationOutcome | null;
  /** Mentee forms only: 1–5, how good the mentoring was. */
  rating: number | null;
  note: string | null;
  /** With `extend`: the new due date. */
  extendTo: CalendarDate | null;
  recordedAt: Instant;
}

export type FormState = "not open" | "open" | "submitted" | "late" | "excused";

export interface FormStatus {
  roundId: string;
  side: FormSide;
  state: FormState;
  /** The due date that applies to this mentee now. */
  due: CalendarDate;
  /** Whole days until the due date (0 on the due day), while the form is open. */
  daysLeft: number | null;
  submittedAt: Instant | null;
}

export function sidesOf(round: EvaluationRound): FormSide[] {
  return round.by === "both" ? ["mentor", "mentee"] : [round.by];
}

function later(a: CalendarDate, b: CalendarDate | null | undefined): CalendarDate {
  return b !== null && b !== undefined && b > a ? b : a;
}

/** The latest record of each (round, side) of one mentee. */
export function currentRecords(records: readonly EvaluationRecord[], menteeId: number): Map<string, EvaluationRecord> {
  const current = new Map<string, EvaluationRecord>();
  for (const record of records) {
    if (record.menteeId !== menteeId) continue;
    const key = `${record.roundId}/${record.side}`;
    const seen = current.get(key);
    if (seen === undefined || Date.parse(record.recordedAt) >= Date.parse(seen.recordedAt)) current.set(key, record);
  }
  return current;
}

/** The roster's terms of this mentee, if the roster gives any. */
export function termsFor(terms: readonly MenteeTerms[], menteeId: number): MenteeTerms | undefined {
  return terms.find((t) => t.menteeId === menteeId);
}

/** The round's due date for this mentee: the roster's and the mentors' extensions move it later. */
export function effectiveDue(round: EvaluationRound, terms: readonly MenteeTerms[], records: readonly EvaluationRecord[], menteeId: number): CalendarDate {
  let due = later(round.due, termsFor(terms, menteeId)?.extensions[round.id]);
  for (const record of records) {
    if (record.menteeId === menteeId && record.roundId === round.id && record.outcome === "extend") due = later(due, record.extendTo);
  }
  return due;
}

export interface MenteeFormsInput {
  rounds: readonly EvaluationRound[];
  menteeId: number;
  /** The project's terms (every mentee's); the mentee's own are picked by id. */
  terms: readonly MenteeTerms[];
  records: readonly EvaluationRecord[];
  timezone: string;
  now: Instant;
}

/** Every form the mentee's enrolment asks for, in round order, mentor side first. */
export function menteeForms(input: MenteeFormsInput): FormStatus[] {
  const { rounds, menteeId, terms, records, timezone, now } = input;
  const current = currentRecords(records, menteeId);
  const status = termsFor(terms, menteeId)?.status;
  const excused = status === "withdrawn" || status === "failed";
  const nowMs = Date.parse(now);
  return rounds.flatMap((round) =>
    sidesOf(round).map((side): FormStatus => {
      const due = effectiveDue(round, terms, records, menteeId);
      const record = current.get(`${round.id}/${side}`);
      const submitted = record !== undefined && record.outcome !== "extend";
      const base = { roundId: round.id, side, due, daysLeft: null, submittedAt: submitted ? record.recordedAt : null };
      if (submitted) return { ...base, state: "submitted" };
      if (excused) return { ...base, state: "excused" };
      if (nowMs < startOfDay(round.opens, timezone)) return { ...base, state: "not open" };
      if (nowMs >= startOfDay(addDays(due, 1), timezone)) return { ...base, state: "late" };
      return { ...base, state: "open", daysLeft: daysUntil(due, now, timezone) };
    }),
  );
}

/** "submitted", "due in 3 days", "late": all a public comment may say about a form. */
export function formLabel(form: FormStatus): string {
  switch (form.state) {
    case "open":
      return form.daysLeft === 0 ? "due today" : form.daysLeft === 1 ? "due tomorrow" : `due in ${form.daysLeft} days`;
    case "not open":
      return "not open yet";
    default:
      return form.state;
  }
}

export type CompletionOutcome = EnrolmentStatus | "extended";

export interface Completion {
  outcome: CompletionOutcome;
  /** When the outcome took effect (for `extended`: the date the enrolment now runs to). */
  date: CalendarDate | null;
}

/**
 * Where an enrolment stands, first match wins: a status the roster sets (other than `active`); a mentor's
 * current `fail` in any round; a current `pass` in the final round (the last one mentors evaluate);
 * an extension of that round or of the program's end; otherwise active.
 */
export function completionOf(
  rounds: readonly EvaluationRound[],
  terms: readonly MenteeTerms[],
  records: readonly EvaluationRecord[],
  menteeId: number,
  timezone: string,
): Completion {
  const own = termsFor(terms, menteeId);
  if (own !== undefined && own.status !== "active") return { outcome: own.status, date: own.statusDate };
  const current = currentRecords(records, menteeId);
  const dateOf = (record: EvaluationRecord) => localDate(Date.parse(record.recordedAt), timezone);
  for (const round of rounds) {
    const record = current.get(`${round.id}/mentor`);
    if (record?.outcome === "fail") return { outcome: "failed", date: dateOf(record) };
  }
  const final = [...rounds].reverse().find((round) => sidesOf(round).includes("mentor"));
  if (final === undefined) return { outcome: "active", date: null };
  const record = current.get(`${final.id}/mentor`);
  if (record?.outcome === "pass") return { outcome: "completed", date: dateOf(record) };
  const due = effectiveDue(final, terms, records, menteeId);
  const ends = own?.extensions["ends"] ?? null;
  if (due > final.due || ends !== null) return { outcome: "extended", date: later(due, ends) };
  return { outcome: "active", date: null };
}
