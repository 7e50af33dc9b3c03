import type { InstallationModel } from "./program.js";
import type { MenteeEnrolment } from "./requests.js";

/** Every mentee enrolment of the installation, as the request derivation needs it. */
export function menteeEnrolments(model: InstallationModel): MenteeEnrolment[] {
  const adminIds = model.admins.map((a) => a.id);
  return model.programs.flatMap((program) =>
    program.projects.flatMap((project) =>
      project.mentees.map((mentee) => ({
        programId: program.id,
        projectId: project.id,
        menteeId: mentee.id,
        menteeLogin: mentee.login,
        projectRepos: project.repos,
        trackingIssue: project.trackingIssue,
        window: program.window,
        mentorIds: project.mentors.map((m) => m.id),
        adminIds,
        responders: model.responders,
        clock: { timezone: program.timezone, ...(program.businessHours ? { businessHours: program.businessHours } : {}) },
      })),
    ),
  );
}
