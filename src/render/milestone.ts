/**
 * Milestone comments: one new comment per (project, milestone, offset), at each reminder offset
 * before the due date and once after it. The marker key carries all of that, so a job can check the
 * tracking issue for it and never post twice.
 *
 * Who gets pinged: reminders ping nobody (they are scheduled, predictable, and everyone involved
 * already watches the tracking issue). Only the after-due comment of a milestone that is not done
 * mentions the project's mentors, once, because that is the moment someone has to act.
 */
import type { CalendarDate } from "../domain/types.js";
import type { MilestoneStatus } from "../domain/milestones.js";
import { plural } from "./format.js";
import { marker } from "./markers.js";
import { MILESTONE_STATUS_LABEL } from "./progress.js";
import { inlineText, issueRef, mentionEach, plainLogin } from "./safe-text.js";

export const MILESTONE_MARKER_KIND = "milestone";
/** Longer lists end with "… and N more": the full list is in the progress comment. */
export const MAX_LISTED_TASKS = 20;

export interface MilestoneCommentInput {
  /** Program id. */
  program: string;
  /** Project id. */
  project: string;
  milestone: { id: string; title: string; due: CalendarDate };
  /** Days before the due date this reminder is for (0 = the due day), or "after" the due date. */
  offsetDays: number | "after";
  status: MilestoneStatus;
  tasksDone: number;
  tasksTotal: number;
  openTasks: Array<{ repo: string; number: number; title: string; mentee: string | null }>;
  /** The project's mentor logins; mentioned only in the after-due comment of an unfinished milestone. */
  mentors: string[];
}

/** `marker("milestone", "<program>/<project>/<milestone>/<offset>")`, offset a number or `after`. */
export function milestoneMarker(program: string, project: string, milestoneId: string, offsetDays: number | "after"): string {
  return marker(MILESTONE_MARKER_KIND, `${program}/${project}/${milestoneId}/${offsetDays}`);
}

export function renderMilestoneComment(input: MilestoneCommentInput): string {
  const { milestone, offsetDays, status, tasksDone, tasksTotal } = input;
  if (offsetDays !== "after" && (!Number.isSafeInteger(offsetDays) || offsetDays < 0)) {
    throw new RangeError(`offsetDays must be a non-negative integer or "after", got ${offsetDays}`);
  }
  const title = inlineText(milestone.title);
  const due = inlineText(milestone.due);
  const lines: string[] = [milestoneMarker(input.program, input.project, milestone.id, offsetDays)];

  const after = offsetDays === "after";
  if (!after) {
    const when = offsetDays === 0 ? "is due today" : offsetDays === 1 ? "is due tomorrow" : `is due in ${offsetDays} days`;
    lines.push(`### ⏰ ${title} ${when} (${due})`);
  } else if (status === "done") {
    lines.push(`### ✅ ${title} is complete (was due ${due})`);
  } else {
    lines.push(`### 🔴 ${title} was due ${due} and is not complete`);
  }
  lines.push("");
  lines.push(`Status: ${MILESTONE_STATUS_LABEL[status]} · ${progressLine(tasksDone, tasksTotal)}`);

  const open = input.openTasks;
  if (open.length > 0) {
    lines.push("", after ? "Still open:" : "Open tasks:", "");
    for (const t of open.slice(0, MAX_LISTED_TASKS)) {
      const who = t.mentee === null ? "" : ` (${plainLogin(t.mentee)})`;
      lines.push(`- ${issueRef(t.repo, t.number)} ${inlineText(t.title)}${who}`);
    }
    if (open.length > MAX_LISTED_TASKS) lines.push(`- … and ${open.length - MAX_LISTED_TASKS} more`);
  }

  if (after && status !== "done") {
    const mentions = mentionEach(input.mentors);
    lines.push("");
    lines.push(
      mentions.length > 0
        ? `${mentions.join(" ")}: please agree on the next steps with your mentee and update the tasks.`
        : "This project lists no mentors: a program admin should follow up.",
    );
  }
  lines.push("", `<sub>Milestone ${inlineText(milestone.id)} · posted once by mentorship-tracker</sub>`);
  return `${lines.join("\n")}\n`;
}

function progressLine(done: number, total: number): string {
  if (total === 0) return "no tasks are linked to this milestone";
  return `${done} of ${plural(total, "task")} done`;
}
