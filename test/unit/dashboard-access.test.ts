import { describe, expect, it } from "@jest/globals";
import { programView, projectView, visibleMentee, visibleMentor } from "../../src/dashboard/access.js";
import { realAlumniModel } from "../helpers/alumni-roster.js";
import { worldModel } from "../helpers/scenario.js";

describe("who sees what on the dashboard", () => {
  const model = worldModel();
  const program = model.programs[0]!;
  const project = program.projects[0]!;
  const [mentorOne] = project.mentors;
  const [menteeOne, menteeTwo] = project.mentees;
  const adminId = model.admins[0]!.id;

  it("admins see everything; mentors their program and projects; mentees their project's aggregates; others nothing", () => {
    expect(programView(model, program, adminId)).toBe("all");
    expect(programView(model, program, mentorOne!.id)).toBe("mentor");
    expect(programView(model, program, menteeOne!.id)).toBe("mentee");
    expect(programView(model, program, 999_999)).toBeNull();
    expect(projectView(model, project, mentorOne!.id)).toBe("full");
    expect(projectView(model, project, menteeOne!.id)).toBe("aggregate");
    expect(projectView(model, project, 999_999)).toBeNull();
  });

  it("a mentee opens only their own page; a mentor their mentees' and their own waiting page", () => {
    expect(visibleMentee(model, program, "MENTEE-ONE", menteeOne!.id)?.mentee.id).toBe(menteeOne!.id);
    expect(visibleMentee(model, program, menteeTwo!.login, menteeOne!.id)).toBeNull();
    expect(visibleMentee(model, program, menteeTwo!.login, mentorOne!.id)?.projects.map((p) => p.id)).toEqual(["cli"]);
    expect(visibleMentor(model, program, mentorOne!.login, mentorOne!.id)?.id).toBe(mentorOne!.id);
    expect(visibleMentor(model, program, project.mentors[1]!.login, mentorOne!.id)).toBeNull();
    expect(visibleMentor(model, program, project.mentors[1]!.login, adminId)).not.toBeNull();
  });

  it("a mentee of one program who mentors in another: mentor of the later one, mentee of the earlier one, in no one else's", () => {
    const alumni = realAlumniModel();
    const [mentorOfLater] = alumni.programs.flatMap((later) =>
      later.projects.flatMap((p) => p.mentors).filter((m) => alumni.programs.some((earlier) => earlier !== later && earlier.projects.some((q) => q.mentees.some((x) => x.id === m.id)))),
    );
    expect(mentorOfLater).toBeDefined();
    const views = alumni.programs.map((p) => programView(alumni, p, mentorOfLater!.id));
    expect(views).toContain("mentor");
    expect(views).toContain("mentee");
    for (const p of alumni.programs) {
      for (const project of p.projects) {
        const view = projectView(alumni, project, mentorOfLater!.id);
        const mentors = project.mentors.some((m) => m.id === mentorOfLater!.id);
        const enrolled = project.mentees.some((m) => m.id === mentorOfLater!.id);
        expect(view).toBe(mentors ? "full" : enrolled ? "aggregate" : null);
        for (const other of project.mentees.filter((m) => m.id !== mentorOfLater!.id)) {
          expect(visibleMentee(alumni, p, other.login, mentorOfLater!.id) !== null).toBe(mentors);
        }
      }
    }
  });
});
