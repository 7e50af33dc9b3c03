import type { InstallationModel, Person, ProgramModel, ProjectModel } from "./program.js";
import type { MenteeEnrolment } from "./requests.js";

/** A tracking issue the app opened itself in the program's `trackingRepo`, remembered per project. */
export interface OpenedTrackingIssue {
  programId: string;
  projectId: string;
  repo: string;
  number: number;
}

/**
 * Every mentee enrolment of the installation, as the request derivation needs it. A project's
 * tracking issue is the roster's, else the one the app opened for it (the same choice the comment
 * jobs make), so questions asked where the progress comment lives are requests either way.
 */
export function menteeEnrolments(model: InstallationModel, opened: readonly OpenedTrackingIssue[] = []): MenteeEnrolment[] {
  const openedFor = new Map(opened.map((t) => [`${t.programId}/${t.projectId}`, { repo: t.repo.toLowerCase(), number: t.number }]));
  return model.programs.flatMap((program) =>
    program.projects.flatMap((project) =>
      project.mentees.map((mentee) =>
        enrolmentIn(model, program, project, mentee, {
          projectRepos: project.repos,
          trackingIssue: project.trackingIssue ?? openedFor.get(`${program.id}/${project.id}`) ?? null,
          window: program.window,
        }),
      ),
    ),
  );
}

/** `person` as a mentee of `project`, answered by its mentors under the roster's policy and clock. */
export function enrolmentIn(
  model: InstallationModel,
  program: ProgramModel,
  project: ProjectModel,
  person: Person,
  scope: Pick<MenteeEnrolment, "projectRepos" | "trackingIssue" | "window">,
): MenteeEnrolment {
  return {
    programId: program.id,
    projectId: project.id,
    menteeId: person.id,
    menteeLogin: person.login,
    ...scope,
    mentorIds: project.mentors.map((m) => m.id),
    mentorLogins: project.mentors.map((m) => m.login.toLowerCase()),
    adminIds: model.admins.map((a) => a.id),
    ignoredIds: model.ignored.map((p) => p.id),
    responders: model.responders,
    slaSeconds: model.slaSeconds,
    clock: { timezone: program.timezone, ...(program.businessHours ? { businessHours: program.businessHours } : {}) },
  };
}
