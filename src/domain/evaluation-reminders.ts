/**
 * When evaluation reminders are due, for one project. Pure.
 *
 * - `opens`: the round's first day (program timezone); one comment for the project, mentioning whoever
 *   owes a form then.
 * - `due-3d`: three days before a due date; `late`: the day after it. Mentees whose due date an extension
 *   moved form their own group, so their reminders come at their own dates and the others' leave them out.
 * - Like milestone comments (src/domain/reminders.ts), only the latest moment that has come and is at most
 *   two days old is posted: a late install or a stopped worker posts nothing stale.
 * - A reminder goes out only if somebody still owes a form; its key (round, moment, due date) makes it once ever.
 */
import { addDays, startOfDay } from "./milestones.js";
import { dueMoment } from "./reminders.js";
import { menteeForms, type EvaluationRecord, type FormSide } from "./evaluations.js";
import { roundsOf, toInstant, type ProgramModel, type ProjectModel } from "./program.js";
import type { CalendarDate, Instant } from "./types.js";

export const DUE_SOON_DAYS = 3;

export type ReminderMoment = "opens" | "due-3d" | "late";

export interface OwedForms {
  mentee: string;
  sides: FormSide[];
}

export interface EvaluationReminder {
  roundId: string;
  roundTitle: string;
  moment: ReminderMoment;
  /** The due date of the group reminded (for `opens`: the round's own due date). */
  due: CalendarDate;
  owed: OwedForms[];
}

export function evaluationRemindersDue(program: ProgramModel, project: ProjectModel, records: readonly EvaluationRecord[], now: Instant): EvaluationReminder[] {
  const reminders: EvaluationReminder[] = [];
  const tz = program.timezone;
  for (const round of roundsOf(program)) {
    const owedNow = project.mentees.map((mentee) => {
      const forms = menteeForms({ rounds: [round], menteeId: mentee.id, terms: project.menteeTerms ?? [], records, timezone: tz, now });
      const owed = forms.filter((f) => f.state === "open" || f.state === "late");
      return { mentee: mentee.login, due: forms[0]?.due ?? round.due, sides: owed.map((f) => f.side) };
    });
    const groups = new Map<CalendarDate, typeof owedNow>();
    for (const entry of owedNow) groups.set(entry.due, [...(groups.get(entry.due) ?? []), entry]);

    const candidates: Array<{ moment: ReminderMoment; due: CalendarDate; at: Instant }> = [
      { moment: "opens", due: round.due, at: toInstant(startOfDay(round.opens, tz)) },
    ];
    for (const due of groups.keys()) {
      candidates.push({ moment: "due-3d", due, at: toInstant(startOfDay(addDays(due, -DUE_SOON_DAYS), tz)) });
      candidates.push({ moment: "late", due, at: toInstant(startOfDay(addDays(due, 1), tz)) });
    }
    // One schedule per group: the round's opening belongs to every group.
    for (const due of groups.keys()) {
      const own = candidates.filter((c) => c.moment === "opens" || c.due === due);
      const picked = dueMoment(own.map((c) => ({ offsetDays: 0, at: c.at })), now);
      const candidate = picked && own.filter((c) => c.at === picked.at).at(-1);
      if (!candidate) continue;
      const members = candidate.moment === "opens" ? owedNow : groups.get(due)!;
      const owed = members.filter((m) => m.sides.length > 0).map(({ mentee, sides }) => ({ mentee, sides }));
      if (owed.length === 0) continue;
      if (reminders.some((r) => r.roundId === round.id && r.moment === candidate.moment && r.due === candidate.due)) continue;
      reminders.push({ roundId: round.id, roundTitle: round.title, moment: candidate.moment, due: candidate.due, owed });
    }
  }
  return reminders;
}
