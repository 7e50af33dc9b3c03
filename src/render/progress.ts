/**
 * The progress comment: one per project on its tracking issue, edited in place.
 *
 * It pings nobody: people are written as `**login**`, never `@login`, because the comment is edited
 * over and over and a mention in it would notify on creation and confuse on every edit.
 *
 * The body is a pure function of `ProgressData`. Rows are sorted here (code-unit order, not locale
 * collation) so the caller's query order cannot change the bytes; time-relative values (`daysLeft`,
 * `ageSeconds`, the footer) come from the data, so a caller that rounds `now` and ages to the precision
 * it wants shown gets an identical body, and can skip the edit, whenever nothing visible changed.
 * `sameProgressIgnoringUpdated` compares two bodies without the footer's timestamp for that purpose.
 */
import type { CalendarDate, Instant } from "../domain/types.js";
import type { MilestoneStatus } from "../domain/milestones.js";
import { compareStrings, formatClockDuration, formatDate, formatDateTime, formatOptionalDuration, plural } from "./format.js";
import { marker } from "./markers.js";
import { inlineText, issueRef, plainLogin } from "./safe-text.js";

export type TaskState = "open" | "in progress" | "done" | "dropped";

export interface ProgressData {
  program: { id: string; name: string };
  project: { id: string; title: string };
  mentees: Array<{ login: string }>;
  mentors: Array<{ login: string }>;
  now: Instant;
  /** Whole calendar days, as `daysUntil` in src/domain/milestones.ts computes them (0 = due today). */
  nextMilestone: { title: string; due: CalendarDate; daysLeft: number } | null;
  milestones: Array<{
    id: string;
    title: string;
    due: CalendarDate;
    tasksDone: number;
    tasksTotal: number;
    status: MilestoneStatus;
  }>;
  tasks: Array<{
    repo: string;
    number: number;
    title: string;
    state: TaskState;
    /** The mentee working on it, if any. */
    mentee: string | null;
    linkedPr: { repo: string; number: number; merged: boolean } | null;
  }>;
  activity: Array<{
    login: string;
    prsOpened: number;
    prsMerged: number;
    reviews: number;
    issues: number;
    comments: number;
    lastActivityAt: Instant | null;
  }>;
  /**
   * Evaluation forms and check-ins per mentee, when the program has rounds or a cadence. Only the
   * forms' states and check-in dates: never an outcome, a rating or a note.
   */
  lifecycle?: Array<{
    mentee: string;
    evaluations: Array<{ title: string; side: "mentor" | "mentee"; label: string }>;
    checkIns: Array<{ mentor: string; lastAt: Instant | null; periods: number | null; periodsKept: number | null }>;
  }>;
  response: {
    /** Median latency of the project's mentors' first responses; null when nothing was answered yet. */
    p50Seconds: number | null;
    waiting: Array<{ mentee: string; repo: string; number: number; ageSeconds: number; overdue: boolean }>;
    /** The program's working day when it sets business hours: the seconds above are then working seconds. */
    workingDaySeconds: number | null;
  };
}

export const PROGRESS_MARKER_KIND = "progress";
const FOOTER_PREFIX = "<sub>Updated ";
const FOOTER_SUFFIX = " · edited in place by mentorship-tracker</sub>";

/** `marker("progress", "<program>/<project>")`: the key the upsert looks for. */
export function progressMarker(programId: string, projectId: string): string {
  return marker(PROGRESS_MARKER_KIND, `${programId}/${projectId}`);
}

export const MILESTONE_STATUS_LABEL: Record<MilestoneStatus, string> = {
  done: "✅ done",
  "on track": "🟢 on track",
  "at risk": "🟠 at risk",
  overdue: "🔴 overdue",
};

const TASK_STATE_ORDER: Record<TaskState, number> = { "in progress": 0, open: 1, done: 2, dropped: 3 };

export function renderProgress(data: ProgressData): string {
  const lines: string[] = [];
  lines.push(progressMarker(data.program.id, data.project.id));
  lines.push(`## Mentorship progress: ${inlineText(data.project.title)}`);
  lines.push("");
  lines.push(`${inlineText(data.program.name)} · project ${inlineText(data.project.id)}`);
  lines.push("");
  lines.push(`- **Mentees:** ${people(data.mentees)}`);
  lines.push(`- **Mentors:** ${people(data.mentors)}`);
  lines.push(`- **Next milestone:** ${nextMilestone(data.nextMilestone)}`);

  lines.push("", "### Milestones", "");
  const milestones = [...data.milestones].sort((a, b) => compareStrings(a.due, b.due) || compareStrings(a.id, b.id));
  if (milestones.length === 0) {
    lines.push("No milestones in this program.");
  } else {
    lines.push("| Milestone | Due | Tasks done | Status |", "| --- | --- | ---: | --- |");
    for (const m of milestones) {
      const tasks = m.tasksTotal === 0 ? "no tasks" : `${m.tasksDone}/${m.tasksTotal}`;
      lines.push(`| ${inlineText(m.title)} | ${inlineText(m.due)} | ${tasks} | ${MILESTONE_STATUS_LABEL[m.status]} |`);
    }
  }

  lines.push("", "### Tasks", "");
  const tasks = [...data.tasks].sort(
    (a, b) => TASK_STATE_ORDER[a.state] - TASK_STATE_ORDER[b.state] || compareStrings(a.repo, b.repo) || a.number - b.number,
  );
  if (tasks.length === 0) {
    lines.push("No mentorship tasks yet.");
  } else {
    const done = tasks.filter((t) => t.state === "done").length;
    const counted = tasks.filter((t) => t.state !== "dropped").length;
    lines.push(`${done} of ${plural(counted, "task")} done.`, "");
    lines.push("| Task | Title | Mentee | State | Pull request |", "| --- | --- | --- | --- | --- |");
    for (const t of tasks) {
      const pr = t.linkedPr ? `${issueRef(t.linkedPr.repo, t.linkedPr.number)}${t.linkedPr.merged ? " (merged)" : ""}` : "—";
      const mentee = t.mentee === null ? "—" : plainLogin(t.mentee);
      lines.push(`| ${issueRef(t.repo, t.number)} | ${inlineText(t.title)} | ${mentee} | ${t.state} | ${pr} |`);
    }
  }

  lines.push("", "### Activity", "");
  const activity = [...data.activity].sort((a, b) => compareStrings(a.login.toLowerCase(), b.login.toLowerCase()) || compareStrings(a.login, b.login));
  if (activity.length === 0) {
    lines.push("No mentee activity yet.");
  } else {
    lines.push(
      "| Mentee | PRs opened | PRs merged | Reviews | Issues | Comments | Last activity |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    );
    for (const a of activity) {
      const last = a.lastActivityAt === null ? "—" : formatDate(a.lastActivityAt);
      lines.push(
        `| ${plainLogin(a.login)} | ${a.prsOpened} | ${a.prsMerged} | ${a.reviews} | ${a.issues} | ${a.comments} | ${last} |`,
      );
    }
  }

  if (data.lifecycle !== undefined && data.lifecycle.length > 0) lines.push("", ...lifecycleLines(data.lifecycle));

  lines.push("", "### Mentor response", "");
  const day = data.response.workingDaySeconds;
  lines.push(`Median time to a mentor's first response: **${formatOptionalDuration(data.response.p50Seconds, day)}**`);
  lines.push("");
  const waiting = [...data.response.waiting].sort(
    (a, b) => b.ageSeconds - a.ageSeconds || compareStrings(a.repo, b.repo) || a.number - b.number,
  );
  if (waiting.length === 0) {
    lines.push("Nobody is waiting for a mentor.");
  } else {
    lines.push(`Waiting for a mentor (${waiting.length}):`, "");
    for (const w of waiting) {
      const flag = w.overdue ? " · ⚠️ **overdue**" : "";
      lines.push(`- ${issueRef(w.repo, w.number)} from ${plainLogin(w.mentee)}, waiting ${formatWaitingAge(w.ageSeconds, day)}${flag}`);
    }
  }

  lines.push("", "---", progressFooter(data.now));
  return `${lines.join("\n")}\n`;
}

/** The last line of every progress comment, the only one `sameProgressIgnoringUpdated` disregards. */
export function progressFooter(now: Instant): string {
  return `${FOOTER_PREFIX}${formatDateTime(now)}${FOOTER_SUFFIX}`;
}

/** True when two progress bodies differ at most in the footer's "Updated …" timestamp. */
export function sameProgressIgnoringUpdated(a: string, b: string): boolean {
  return stripFooter(a) === stripFooter(b);
}

function stripFooter(body: string): string {
  const start = body.lastIndexOf(FOOTER_PREFIX);
  return start === -1 ? body : body.slice(0, start);
}

/** One line per mentee: each round's forms by state, then each mentor's last check-in. */
function lifecycleLines(lifecycle: NonNullable<ProgressData["lifecycle"]>): string[] {
  const lines = ["### Evaluations and check-ins", ""];
  const sorted = [...lifecycle].sort((a, b) => compareStrings(a.mentee.toLowerCase(), b.mentee.toLowerCase()));
  for (const m of sorted) {
    const rounds = new Map<string, string[]>();
    for (const e of m.evaluations) rounds.set(e.title, [...(rounds.get(e.title) ?? []), `${e.side === "mentor" ? "mentor form" : "feedback"} ${e.label}`]);
    const evaluations = [...rounds].map(([title, forms]) => `${inlineText(title)}: ${forms.join(", ")}`);
    const checkIns = [...m.checkIns]
      .sort((a, b) => compareStrings(a.mentor.toLowerCase(), b.mentor.toLowerCase()))
      .map((c) => {
        const last = c.lastAt === null ? "no check-in yet" : `last check-in ${formatDate(c.lastAt)}`;
        const kept = c.periods === null || c.periods === 0 ? "" : ` (${c.periodsKept} of ${plural(c.periods, "period")} kept)`;
        return `${plainLogin(c.mentor)} ${last}${kept}`;
      });
    lines.push(`- ${plainLogin(m.mentee)}: ${[...evaluations, ...checkIns].join(" · ") || "—"}`);
  }
  return lines;
}

const HOUR = 3600;

/**
 * Ages to the hour: `under 1h`, `5h`, `1d 4h` (`3 working hours` under business hours). To the minute,
 * a waiting request changed the body on every refresh, so each refresh became an edit (and the minute
 * is noise to a reader of the comment).
 */
export function formatWaitingAge(seconds: number, workingDaySeconds: number | null): string {
  if (seconds < HOUR) return workingDaySeconds === null ? "under 1h" : "under 1 working hour";
  return formatClockDuration(Math.floor(seconds / HOUR) * HOUR, workingDaySeconds);
}

function people(list: Array<{ login: string }>): string {
  if (list.length === 0) return "—";
  return list.map((p) => plainLogin(p.login)).join(", ");
}

function nextMilestone(next: ProgressData["nextMilestone"]): string {
  if (next === null) return "none ahead";
  const when =
    next.daysLeft < 0
      ? `was due ${plural(-next.daysLeft, "day")} ago`
      : next.daysLeft === 0
        ? "due today"
        : next.daysLeft === 1
          ? "due tomorrow"
          : `due in ${next.daysLeft} days`;
  return `${inlineText(next.title)}, ${inlineText(next.due)} (${when})`;
}
