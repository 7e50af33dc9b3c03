/**
 * Who sees what on the dashboard, from the roster alone (numeric ids, never logins, decide). Pure.
 *
 * - A roster admin sees everything of their installation.
 * - A mentor sees the programs they mentor in (figures of their own projects), those projects, their
 *   own "waiting for me" page, and the pages of their projects' mentees.
 * - A mentee sees their own page and their project's aggregate figures (no other mentee named).
 * - Anyone else sees nothing: not even which programs exist.
 * Evaluation outcomes, ratings and notes follow src/domain/evaluation-access.ts (through
 * `visibleEvaluations`): admins, and a mentee's own mentors for the mentor forms.
 */
import type { InstallationModel, Person, ProgramModel, ProjectModel } from "../domain/program.js";

export type ProgramView = "all" | "mentor" | "mentee";
export type ProjectView = "full" | "aggregate";

const has = (people: readonly Person[], id: number) => people.some((p) => p.id === id);

export function isRosterAdmin(model: InstallationModel, viewerId: number): boolean {
  return has(model.admins, viewerId);
}

export function mentoredProjects(program: ProgramModel, viewerId: number): ProjectModel[] {
  return program.projects.filter((p) => has(p.mentors, viewerId));
}

export function enrolledProjects(program: ProgramModel, viewerId: number): ProjectModel[] {
  return program.projects.filter((p) => has(p.mentees, viewerId));
}

/** How much of a program the viewer sees, or null: nothing (the program is not even listed). */
export function programView(model: InstallationModel, program: ProgramModel, viewerId: number): ProgramView | null {
  if (isRosterAdmin(model, viewerId)) return "all";
  if (mentoredProjects(program, viewerId).length > 0) return "mentor";
  if (enrolledProjects(program, viewerId).length > 0) return "mentee";
  return null;
}

export function projectView(model: InstallationModel, project: ProjectModel, viewerId: number): ProjectView | null {
  if (isRosterAdmin(model, viewerId) || has(project.mentors, viewerId)) return "full";
  if (has(project.mentees, viewerId)) return "aggregate";
  return null;
}

/** The mentor (by login, any case) whose "waiting for me" page this is, if the viewer may open it. */
export function visibleMentor(model: InstallationModel, program: ProgramModel, login: string, viewerId: number): Person | null {
  const key = login.toLowerCase();
  const mentor = program.projects.flatMap((p) => p.mentors).find((m) => m.login.toLowerCase() === key);
  if (!mentor) return null;
  return isRosterAdmin(model, viewerId) || mentor.id === viewerId ? mentor : null;
}

/** The mentee and the projects of theirs the viewer may see, or null. */
export function visibleMentee(
  model: InstallationModel,
  program: ProgramModel,
  login: string,
  viewerId: number,
): { mentee: Person; projects: ProjectModel[] } | null {
  const key = login.toLowerCase();
  const theirs = program.projects.filter((p) => p.mentees.some((m) => m.login.toLowerCase() === key));
  if (theirs.length === 0) return null;
  const mentee = theirs[0]!.mentees.find((m) => m.login.toLowerCase() === key)!;
  if (isRosterAdmin(model, viewerId) || mentee.id === viewerId) return { mentee, projects: theirs };
  const mine = theirs.filter((p) => has(p.mentors, viewerId));
  return mine.length > 0 ? { mentee, projects: mine } : null;
}

export function mayRecordCheckIn(project: ProjectModel, viewerId: number): boolean {
  return has(project.mentors, viewerId);
}
