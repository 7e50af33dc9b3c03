import { describe, expect, test } from "@jest/globals";
import { renderProgress, type ProgressData } from "../../src/render/progress.js";

function sample(lifecycle?: ProgressData["lifecycle"]): ProgressData {
  return {
    program: { id: "gsoc-2026", name: "GSoC 2026" },
    project: { id: "cli", title: "CLI" },
    mentees: [{ login: "zed" }, { login: "amy" }],
    mentors: [{ login: "mia" }],
    now: "2026-07-08T09:00:00Z",
    nextMilestone: null,
    milestones: [],
    tasks: [],
    activity: [],
    ...(lifecycle ? { lifecycle } : {}),
    response: { p50Seconds: null, waiting: [], workingDaySeconds: null },
  };
}

const zed = {
  mentee: "zed",
  evaluations: [
    { title: "Midterm", side: "mentor" as const, label: "late" },
    { title: "Midterm", side: "mentee" as const, label: "submitted" },
  ],
  checkIns: [{ mentor: "mia", lastAt: "2026-07-01T10:00:00Z", periods: 3, periodsKept: 2 }],
};
const amy = { mentee: "amy", evaluations: [{ title: "Midterm", side: "mentor" as const, label: "due in 3 days" }], checkIns: [{ mentor: "mia", lastAt: null, periods: null, periodsKept: null }] };

describe("progress comment: evaluations and check-ins", () => {
  test("one line per mentee, sorted by login whatever the input order, with states and dates only", () => {
    for (const order of [[zed, amy], [amy, zed]]) {
      const body = renderProgress(sample(order));
      const section = body.slice(body.indexOf("### Evaluations and check-ins"), body.indexOf("### Mentor response"));
      expect(section).toBe(
        [
          "### Evaluations and check-ins",
          "",
          "- **amy**: Midterm: mentor form due in 3 days · **mia** no check-in yet",
          "- **zed**: Midterm: mentor form late, feedback submitted · **mia** last check-in 2026-07-01 (2 of 3 periods kept)",
          "",
          "",
        ].join("\n"),
      );
    }
  });

  test("a program without rounds or a cadence shows no such section", () => {
    expect(renderProgress(sample())).not.toContain("Evaluations and check-ins");
  });
});
