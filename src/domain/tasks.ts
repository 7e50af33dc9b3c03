import type { InstallationModel, Person, ProgramModel, ProjectModel } from "./program.js";
import { isWithin } from "./program.js";
import type { Instant, ThreadEvent } from "./types.js";

export type TaskState = "open" | "in progress" | "done" | "dropped";

export interface DerivedTask {
  repo: string;
  number: number;
  programId: string;
  projectId: string;
  mentee: Person | null;
  title: string;
  state: TaskState;
  milestoneId: string | null;
  linkedPr: LinkedPr | null;
  updatedAt: Instant;
}

export interface LinkedPr {
  repo: string;
  number: number;
  merged: boolean;
  /** When the link was made: the latest link wins when several PRs close the same task. */
  linkedAt: Instant;
}

/**
 * An issue is a task while it carries the roster's task label. Its events must be in
 * `sortEvents` order. Returns null when the thread is not (or no longer) a task, including
 * after a transfer: the issue lives on under its new repo and number, with its own events.
 */
export function deriveTask(events: ThreadEvent[], model: InstallationModel, linkedPrs: LinkedPr[]): DerivedTask | null {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last || first.threadKind !== "issue") return null;
  if (events.some((e) => e.kind === "issue_transferred" || e.kind === "issue_deleted")) return null;

  // Each issue payload carries the labels as they were: the latest snapshot is GitHub's truth.
  const labels = [...events].reverse().find((e) => e.data.labels !== undefined)?.data.labels ?? [];
  const wanted = model.taskLabel.toLowerCase();
  if (!labels.some((l) => l.toLowerCase() === wanted)) return null;

  // Assignment order, each with when they were (last) assigned.
  const assignees = new Map<number, Instant>();
  let taskSince: Instant | null = null;
  let closedReason: string | null | undefined;
  let milestoneTitle: string | null = null;
  let title = "";
  for (const e of events) {
    if (e.data.title !== undefined) title = e.data.title;
    if (e.data.labels !== undefined) {
      const labelled = e.data.labels.some((l) => l.toLowerCase() === wanted);
      if (!labelled) taskSince = null;
      else if (taskSince === null) taskSince = e.occurredAt;
    }
    if (e.kind === "issue_assigned" && e.data.assignee) {
      assignees.delete(e.data.assignee.id);
      assignees.set(e.data.assignee.id, e.occurredAt);
    }
    if (e.kind === "issue_unassigned" && e.data.assignee) assignees.delete(e.data.assignee.id);
    if (e.kind === "issue_closed") closedReason = e.data.stateReason ?? "completed";
    if (e.kind === "issue_reopened") closedReason = undefined;
    if (e.kind === "issue_milestoned") milestoneTitle = e.data.milestoneTitle ?? null;
    if (e.kind === "issue_demilestoned") milestoneTitle = null;
  }

  const placed = placeTask(model, last.repo, [
    ...[...assignees].map(([id, at]) => ({ id, at })),
    { id: first.threadAuthorId, at: first.occurredAt },
  ], taskSince ?? first.occurredAt);
  if (!placed) return null;
  const { program, project, mentee } = placed;

  const linkedPr = [...linkedPrs].sort((a, b) => a.linkedAt.localeCompare(b.linkedAt) || a.number - b.number).at(-1) ?? null;
  // Only a completed close is done: "not planned" and "duplicate" (and any reason GitHub adds) drop the task.
  const state: TaskState =
    closedReason === undefined ? (linkedPr ? "in progress" : "open") : closedReason === "completed" ? "done" : "dropped";

  return {
    repo: last.repo,
    number: last.number,
    programId: program.id,
    projectId: project.id,
    mentee,
    title,
    state,
    milestoneId: matchMilestone(program, milestoneTitle),
    linkedPr,
    updatedAt: last.occurredAt,
  };
}

/**
 * Where a task belongs. A program counts only while its window contains the moment that ties the task
 * to it, so someone who was a mentee years ago and mentors now cannot pull today's task into the old
 * program:
 * - `people` (the assignees in assignment order, then the author), each with when they were assigned or
 *   opened the issue: the first one enrolled as a mentee of a project covering the repo (or of a project
 *   without repositories) in a program running at that moment;
 * - else, without a mentee, the first project covering the repo in a program running when the issue
 *   became a task, or failing that in the next program to start after it (mentors prepare tasks before
 *   a program begins); none when every covering program had ended.
 * Roster order decides between overlapping programs.
 */
function placeTask(
  model: InstallationModel,
  repo: string,
  people: Array<{ id: number; at: Instant }>,
  taskSince: Instant,
): { program: ProgramModel; project: ProjectModel; mentee: Person | null } | null {
  const candidates = model.programs.flatMap((program) =>
    program.projects.map((project) => ({ program, project, covers: project.repos.includes(repo) })),
  );
  for (const { id, at } of people) {
    for (const c of candidates) {
      if (!(c.covers || c.project.repos.length === 0) || !isWithin(at, c.program.window)) continue;
      const mentee = c.project.mentees.find((m) => m.id === id);
      if (mentee) return { program: c.program, project: c.project, mentee };
    }
  }
  const covering = candidates.filter((c) => c.covers);
  const since = Date.parse(taskSince);
  const upcoming = covering
    .filter((c) => Date.parse(c.program.window.from) > since)
    .sort((a, b) => Date.parse(a.program.window.from) - Date.parse(b.program.window.from));
  const chosen = covering.find((c) => isWithin(taskSince, c.program.window)) ?? upcoming[0];
  return chosen ? { program: chosen.program, project: chosen.project, mentee: null } : null;
}

/** A GitHub milestone matches a program milestone by id or title (any case); otherwise the program's last one. */
function matchMilestone(program: ProgramModel, githubTitle: string | null): string | null {
  const wanted = githubTitle?.trim().toLowerCase();
  const match = wanted
    ? program.milestones.find((m) => m.id.toLowerCase() === wanted || m.title.toLowerCase() === wanted)
    : undefined;
  return (match ?? program.milestones.at(-1))?.id ?? null;
}
