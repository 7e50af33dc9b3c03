import { describe, expect, test } from "@jest/globals";
import { evaluationRemindersDue } from "../../src/domain/evaluation-reminders.js";
import type { EvaluationRecord } from "../../src/domain/evaluations.js";
import { renderEvaluationReminder } from "../../src/render/evaluation-reminder.js";
import { mentions } from "../helpers/github-comments.js";
import { lifecycleModel } from "../helpers/lifecycle.js";
import { mentee, mentor } from "../helpers/scenario.js";

const model = lifecycleModel({ extendFinalTo: "2026-11-07" });
const program = model.programs[0]!;
const project = program.projects[0]!;

function due(now: string, records: EvaluationRecord[] = []) {
  return evaluationRemindersDue(program, project, records, now).map((r) => `${r.roundId} ${r.moment} ${r.due}: ${r.owed.map((o) => `${o.mentee}[${o.sides.join(",")}]`).join(" ")}`);
}

const pass: EvaluationRecord = {
  roundId: "midterm",
  menteeId: mentee.id,
  side: "mentor",
  authorId: mentor.id,
  authorLogin: mentor.login,
  outcome: "pass",
  rating: null,
  note: "secret note",
  extendTo: null,
  recordedAt: "2026-08-16T00:00:00Z",
};

describe("evaluation reminders", () => {
  test("the round opens, is due in 3 days, is late: each moment within two days of coming, nothing before or after", () => {
    expect(due("2026-08-14T23:00:00Z")).toEqual([]);
    expect(due("2026-08-15T01:00:00Z")).toEqual(["midterm opens 2026-08-22: mentee-one[mentor,mentee] mentee-two[mentor,mentee]"]);
    expect(due("2026-08-17T01:00:00Z")).toEqual([]);
    expect(due("2026-08-19T01:00:00Z")).toEqual(["midterm due-3d 2026-08-22: mentee-one[mentor,mentee] mentee-two[mentor,mentee]"]);
    expect(due("2026-08-23T01:00:00Z")).toEqual(["midterm late 2026-08-22: mentee-one[mentor,mentee] mentee-two[mentor,mentee]"]);
    expect(due("2026-08-25T01:00:00Z")).toEqual([]);
  });

  test("a submitted form drops out of the reminders; nobody owing means no reminder", () => {
    expect(due("2026-08-19T01:00:00Z", [pass])).toEqual(["midterm due-3d 2026-08-22: mentee-one[mentee] mentee-two[mentor,mentee]"]);
    const everyForm = project.mentees.flatMap((m) => [
      { ...pass, menteeId: m.id },
      { ...pass, menteeId: m.id, side: "mentee" as const, outcome: null, rating: 4, authorId: m.id },
    ]);
    expect(due("2026-08-19T01:00:00Z", everyForm)).toEqual([]);
    expect(due("2026-08-19T01:00:00Z", everyForm.slice(1))).toEqual(["midterm due-3d 2026-08-22: mentee-one[mentor]"]);
  });

  test("an extended mentee's final round is reminded at its own dates, and left out of the others'", () => {
    expect(due("2026-10-14T01:00:00Z")).toEqual(["final due-3d 2026-10-17: mentee-one[mentor,mentee]"]);
    expect(due("2026-10-18T01:00:00Z")).toEqual(["final late 2026-10-17: mentee-one[mentor,mentee]"]);
    expect(due("2026-11-04T01:00:00Z")).toEqual(["final due-3d 2026-11-07: mentee-two[mentor,mentee]"]);
    expect(due("2026-11-08T01:00:00Z")).toEqual(["final late 2026-11-07: mentee-two[mentor,mentee]"]);
  });

  test("before the due date it pings whoever owes a form; once late, only the admins", () => {
    const [open] = evaluationRemindersDue(program, project, [pass], "2026-08-19T01:00:00Z");
    const body = renderEvaluationReminder({ program: program.id, project: project.id, reminder: open!, mentors: ["mentor-one", "mentor-two"], admins: ["program-admin"] });
    expect(body).toContain("### ⏰ Midterm evaluation is due in 3 days (2026-08-22)");
    expect(body).toContain("- the mentor form for **mentee-two**: @mentor-one @mentor-two");
    expect(body).toContain("- the feedback form of **mentee-one**: @mentee-one");
    expect(body).not.toContain("the mentor form for **mentee-one**");
    expect(mentions(body).sort()).toEqual(["mentee-one", "mentee-two", "mentor-one", "mentor-two"]);
    expect(body).not.toMatch(/pass|secret/);

    const [late] = evaluationRemindersDue(program, project, [pass], "2026-08-23T01:00:00Z");
    const escalation = renderEvaluationReminder({ program: program.id, project: project.id, reminder: late!, mentors: ["mentor-one", "mentor-two"], admins: ["program-admin"] });
    expect(escalation).toContain("### 🔴 Midterm evaluation is late (was due 2026-08-22)");
    expect(mentions(escalation)).toEqual(["program-admin"]);
    expect(escalation).toContain("<!-- mentorship-tracker:evaluation:amp-2026/cli/midterm/late/2026-08-22 -->");
  });
});
