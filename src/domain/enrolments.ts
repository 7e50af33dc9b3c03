import type { InstallationModel } from "./program.js";
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
  const adminIds = model.admins.map((a) => a.id);
  const ignoredIds = model.ignored.map((p) => p.id);
  const openedFor = new Map(opened.map((t) => [`${t.programId}/${t.projectId}`, { repo: t.repo.toLowerCase(), number: t.number }]));
  return model.programs.flatMap((program) =>
    program.projects.flatMap((project) =>
      project.mentees.map((mentee) => ({
        programId: program.id,
        projectId: project.id,
        menteeId: mentee.id,
        menteeLogin: mentee.login,
        projectRepos: project.repos,
        trackingIssue: project.trackingIssue ?? openedFor.get(`${program.id}/${project.id}`) ?? null,
        window: program.window,
        mentorIds: project.mentors.map((m) => m.id),
        mentorLogins: project.mentors.map((m) => m.login.toLowerCase()),
        adminIds,
        ignoredIds,
        responders: model.responders,
        slaSeconds: model.slaSeconds,
        clock: { timezone: program.timezone, ...(program.businessHours ? { businessHours: program.businessHours } : {}) },
      })),
    ),
  );
}
