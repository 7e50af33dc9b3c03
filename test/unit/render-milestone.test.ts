import { describe, expect, test } from "@jest/globals";
import { renderMilestoneComment, type MilestoneCommentInput } from "../../src/render/milestone.js";
import { hasMarker, readMarkers } from "../../src/render/markers.js";

const REAL_MENTION = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*)/g;
const mentioned = (body: string) => [...body.matchAll(REAL_MENTION)].map((m) => m[1]);

function input(over: Partial<MilestoneCommentInput> = {}): MilestoneCommentInput {
  return {
    program: "amp-2026",
    project: "cli",
    milestone: { id: "midterm", title: "Mid-term evaluation", due: "2026-08-22" },
    offsetDays: 5,
    status: "at risk",
    tasksDone: 2,
    tasksTotal: 5,
    openTasks: [
      { repo: "asyncapi/cli", number: 1190, title: "Fix validate on Windows @octocat", mentee: "neoandmatrix" },
      { repo: "asyncapi/cli", number: 1300, title: "Docs <b>bold</b>", mentee: null },
    ],
    mentors: ["AayushSaini101", "Shurtu-gal"],
    ...over,
  };
}

describe("renderMilestoneComment", () => {
  test("reminder snapshot: pings nobody", () => {
    const body = renderMilestoneComment(input());
    expect(body).toMatchSnapshot();
    expect(mentioned(body)).toEqual([]);
    expect(body).toContain("Mid-term evaluation is due in 5 days (2026-08-22)");
    expect(hasMarker(body, "milestone", "amp-2026/cli/midterm/5")).toBe(true);
  });

  test("reminder wording by offset", () => {
    expect(renderMilestoneComment(input({ offsetDays: 0 }))).toContain("is due today (2026-08-22)");
    expect(renderMilestoneComment(input({ offsetDays: 1 }))).toContain("is due tomorrow");
    expect(renderMilestoneComment(input({ offsetDays: 10 }))).toContain("is due in 10 days");
    expect(readMarkers(renderMilestoneComment(input({ offsetDays: 0 })))).toEqual([{ kind: "milestone", key: "amp-2026/cli/midterm/0" }]);
  });

  test("after the due date, not done: mentions exactly the mentors", () => {
    const body = renderMilestoneComment(input({ offsetDays: "after", status: "overdue" }));
    expect(body).toMatchSnapshot();
    expect(mentioned(body)).toEqual(["AayushSaini101", "Shurtu-gal"]);
    expect(hasMarker(body, "milestone", "amp-2026/cli/midterm/after")).toBe(true);
  });

  test("after the due date, done: a quiet summary", () => {
    const body = renderMilestoneComment(input({ offsetDays: "after", status: "done", tasksDone: 5, openTasks: [] }));
    expect(body).toContain("Mid-term evaluation is complete (was due 2026-08-22)");
    expect(mentioned(body)).toEqual([]);
  });

  test("hostile mentor entries are never pinged", () => {
    const body = renderMilestoneComment(input({ offsetDays: "after", status: "overdue", mentors: ["good", "@evil", "org/team", "GOOD"] }));
    expect(mentioned(body)).toEqual(["good"]);
  });

  test("no mentors: asks an admin, pings nobody", () => {
    const body = renderMilestoneComment(input({ offsetDays: "after", status: "overdue", mentors: [] }));
    expect(mentioned(body)).toEqual([]);
    expect(body).toContain("program admin");
  });

  test("long task lists are cut", () => {
    const openTasks = Array.from({ length: 25 }, (_, i) => ({ repo: "o/r", number: i + 1, title: `t${i}`, mentee: null }));
    const body = renderMilestoneComment(input({ openTasks }));
    expect(body).toContain("- … and 5 more");
    expect(body).toContain("o/r#20 ");
    expect(body).not.toContain("o/r#21 ");
  });

  test("rejects nonsense offsets", () => {
    expect(() => renderMilestoneComment(input({ offsetDays: -1 }))).toThrow(RangeError);
    expect(() => renderMilestoneComment(input({ offsetDays: 1.5 }))).toThrow(RangeError);
  });
});
