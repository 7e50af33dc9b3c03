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

  const assignees = new Map<number, string>();
  let closedReason: string | null | undefined;
  let milestoneTitle: string | null = null;
  let title = "";
  for (const e of events) {
    if (e.data.title !== undefined) title = e.data.title;
    if (e.kind === "issue_assigned" && e.data.assignee) assignees.set(e.data.assignee.id, e.data.assignee.login);
    if (e.kind === "issue_unassigned" && e.data.assignee) assignees.delete(e.data.assignee.id);
    if (e.kind === "issue_closed") closedReason = e.data.stateReason ?? "completed";
    if (e.kind === "issue_reopened") closedReason = undefined;
    if (e.kind === "issue_milestoned") milestoneTitle = e.data.milestoneTitle ?? null;
    if (e.kind === "issue_demilestoned") milestoneTitle = null;
  }

  const placed = placeTask(model, last.repo, first.threadAuthorId, [...assignees.keys()], first.occurredAt);
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
 * The task's mentee is its first enrolled assignee, else its author when enrolled; the project
 * is that mentee's project covering the repo, else the first project covering it whose program
 * was running when the issue was opened (roster order decides between overlapping programs).
 */
function placeTask(
  model: InstallationModel,
  repo: string,
  authorId: number,
  assigneeIds: number[],
  openedAt: Instant,
): { program: ProgramModel; project: ProjectModel; mentee: Person | null } | null {
  const covering = model.programs.flatMap((program) =>
    program.projects.filter((p) => p.repos.includes(repo)).map((project) => ({ program, project })),
  );
  for (const id of [...assigneeIds, authorId]) {
    for (const c of covering) {
      const mentee = c.project.mentees.find((m) => m.id === id);
      if (mentee) return { ...c, mentee };
    }
  }
  const running = covering.find((c) => isWithin(openedAt, c.program.window)) ?? covering.at(-1);
  return running ? { ...running, mentee: null } : null;
}

/** A GitHub milestone matches a program milestone by id or title (any case); otherwise the program's last one. */
function matchMilestone(program: ProgramModel, githubTitle: string | null): string | null {
  const wanted = githubTitle?.trim().toLowerCase();
  const match = wanted
    ? program.milestones.find((m) => m.id.toLowerCase() === wanted || m.title.toLowerCase() === wanted)
    : undefined;
  return (match ?? program.milestones.at(-1))?.id ?? null;
}
