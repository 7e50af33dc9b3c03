/**
 * Evaluation reminders on a project's tracking issue. They say which forms are still missing and by
 * when, never what any submitted form said: no outcome, rating or note ever reaches this text.
 *
 * Who gets pinged: when a round opens and three days before it is due, whoever still owes a form (the
 * project's mentors for a mentor form, the mentee for their own feedback). Once a form is late, the
 * program admins, once; the people who owe it are named without a ping (they were reminded already).
 */
import type { EvaluationReminder } from "../domain/evaluation-reminders.js";
import { marker } from "./markers.js";
import { inlineText, mentionEach, plainLogin } from "./safe-text.js";

export const EVALUATION_MARKER_KIND = "evaluation";

export interface EvaluationReminderInput {
  program: string;
  project: string;
  reminder: EvaluationReminder;
  mentors: string[];
  admins: string[];
}

/** One key per (project, round, moment, due date): an extended mentee's own due date earns its own reminders. */
export function evaluationMarker(program: string, project: string, reminder: EvaluationReminder): string {
  return marker(EVALUATION_MARKER_KIND, `${program}/${project}/${reminder.roundId}/${reminder.moment}/${reminder.due}`);
}

function missing(side: "mentor" | "mentee", mentee: string): string {
  return side === "mentor" ? `the mentor form for ${plainLogin(mentee)}` : `the feedback form of ${plainLogin(mentee)}`;
}

export function renderEvaluationReminder(input: EvaluationReminderInput): string {
  const { reminder } = input;
  const title = inlineText(reminder.roundTitle);
  const due = inlineText(reminder.due);
  const lines = [evaluationMarker(input.program, input.project, reminder)];
  if (reminder.moment === "opens") lines.push(`### 📝 ${title} is open: forms are due ${due}`);
  else if (reminder.moment === "due-3d") lines.push(`### ⏰ ${title} is due in 3 days (${due})`);
  else lines.push(`### 🔴 ${title} is late (was due ${due})`);
  lines.push("");

  if (reminder.moment === "late") {
    lines.push("Still missing:", "");
    for (const owed of reminder.owed) for (const side of owed.sides) lines.push(`- ${missing(side, owed.mentee)}`);
    const admins = mentionEach(input.admins);
    lines.push("", admins.length > 0 ? `${admins.join(" ")}: please follow up.` : "This program lists no admins to follow up.");
  } else {
    lines.push("Still to fill in:", "");
    for (const owed of reminder.owed) {
      for (const side of owed.sides) {
        const who = mentionEach(side === "mentor" ? input.mentors : [owed.mentee]);
        lines.push(`- ${missing(side, owed.mentee)}${who.length > 0 ? `: ${who.join(" ")}` : ""}`);
      }
    }
  }
  lines.push("", "<sub>What a form says is private: only program admins see it. Posted once by mentorship-tracker.</sub>");
  return `${lines.join("\n")}\n`;
}
