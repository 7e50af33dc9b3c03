import { describe, expect, test } from "@jest/globals";
import { renderProgress, sameProgressIgnoringUpdated, type ProgressData } from "../../src/render/progress.js";
import { readMarkers } from "../../src/render/markers.js";
import { formatDuration } from "../../src/render/format.js";

const REAL_MENTION = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*)/g;
/** Cell separators: `|` not escaped by a backslash. */
const cellPipes = (row: string) => row.match(/(?<!\\)(?:\\\\)*\|/g)?.length ?? 0;

function sample(): ProgressData {
  return {
    program: { id: "amp-2026", name: "AsyncAPI Maintainership Program 2026" },
    project: { id: "cli", title: "AsyncAPI CLI" },
    mentees: [{ login: "neoandmatrix" }],
    mentors: [{ login: "AayushSaini101" }, { login: "Shurtu-gal" }],
    now: "2026-08-10T09:30:12Z",
    nextMilestone: { title: "Mid-term evaluation", due: "2026-08-22", daysLeft: 12 },
    milestones: [
      { id: "final", title: "Final evaluation", due: "2026-10-17", tasksDone: 0, tasksTotal: 0, status: "on track" },
      { id: "midterm", title: "Mid-term evaluation", due: "2026-08-22", tasksDone: 2, tasksTotal: 5, status: "at risk" },
    ],
    tasks: [
      { repo: "asyncapi/cli", number: 1201, title: "Add `--watch` flag", state: "done", mentee: "neoandmatrix", linkedPr: { repo: "asyncapi/cli", number: 1250, merged: true } },
      { repo: "asyncapi/cli", number: 1190, title: "Fix validate on Windows", state: "in progress", mentee: "neoandmatrix", linkedPr: { repo: "asyncapi/cli", number: 1260, merged: false } },
      { repo: "asyncapi/cli", number: 1300, title: "Docs: new generator flags", state: "open", mentee: null, linkedPr: null },
      { repo: "asyncapi/cli", number: 1100, title: "Old idea", state: "dropped", mentee: null, linkedPr: null },
    ],
    activity: [{ login: "neoandmatrix", prsOpened: 3, prsMerged: 1, reviews: 2, issues: 1, comments: 14, lastActivityAt: "2026-08-09T18:02:00Z" }],
    response: {
      p50Seconds: 100_800,
      waiting: [
        { mentee: "neoandmatrix", repo: "asyncapi/cli", number: 1260, ageSeconds: 3 * 86400 + 7200, overdue: true },
        { mentee: "neoandmatrix", repo: "asyncapi/cli", number: 1190, ageSeconds: 2700, overdue: false },
      ],
      workingDaySeconds: null,
    },
  };
}

describe("renderProgress", () => {
  test("snapshot", () => {
    expect(renderProgress(sample())).toMatchSnapshot();
  });

  test("starts with the progress marker and ends with the footer", () => {
    const body = renderProgress(sample());
    expect(body.startsWith("<!-- mentorship-tracker:progress:amp-2026/cli -->\n")).toBe(true);
    expect(body).toContain("Updated 2026-08-10 09:30 UTC · edited in place by mentorship-tracker");
    // 100,800 s = 28 h.
    expect(body).toContain("Median time to a mentor's first response: **1d 4h**");
    expect(body).toMatch(/asyncapi\/cli#1260 from \*\*neoandmatrix\*\*, waiting 3d 2h · ⚠️ \*\*overdue\*\*/);
  });

  test("pings nobody, even with hostile logins and titles", () => {
    const data = sample();
    data.mentors.push({ login: "@org/team" });
    data.mentees.push({ login: "＠sneaky" });
    data.project.title = "CLI @everyone <img src=x onerror=alert(1)>";
    data.program.name = "&#64;admin program";
    data.tasks[0]!.title = "<!-- mentorship-tracker:progress:amp-2026/cli --> | pwn\n## heading [x](javascript:alert(1))";
    data.tasks[0]!.mentee = "\\@neo";
    data.response.waiting[0]!.mentee = "@octocat";
    const body = renderProgress(data);
    expect([...body.matchAll(REAL_MENTION)]).toEqual([]);
    expect(body).not.toMatch(/[@\uff20][A-Za-z0-9]/);
    expect(body).not.toMatch(/<(?!!-- mentorship-tracker:progress:amp-2026\/cli -->|\/?sub>)/);
    expect(readMarkers(body)).toEqual([{ kind: "progress", key: "amp-2026/cli" }]);
    expect(body).not.toMatch(/(?<!\\)\]\(javascript/);
    expect(body).toContain("\\[x\\](javascript");
    // Every task row still has exactly 6 cell separators (5 columns).
    const rows = body.split("\n").filter((l) => l.startsWith("| asyncapi/cli#"));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(cellPipes(row)).toBe(6);
    expect(body.split("\n").some((l) => l.startsWith("## heading"))).toBe(false);
  });

  test("deterministic: same data, and the same data in another order, give identical bytes", () => {
    const a = renderProgress(sample());
    expect(renderProgress(sample())).toBe(a);
    const shuffled = sample();
    shuffled.tasks.reverse();
    shuffled.milestones.reverse();
    shuffled.response.waiting.reverse();
    shuffled.activity.reverse();
    expect(renderProgress(shuffled)).toBe(a);
  });

  test("sameProgressIgnoringUpdated ignores only the footer timestamp", () => {
    const a = renderProgress(sample());
    const later = renderProgress({ ...sample(), now: "2026-08-10T10:45:00Z" });
    expect(later).not.toBe(a);
    expect(sameProgressIgnoringUpdated(a, later)).toBe(true);
    const changed = sample();
    changed.activity[0]!.comments += 1;
    expect(sameProgressIgnoringUpdated(a, renderProgress(changed))).toBe(false);
  });

  test("waiting ages are shown to the hour, so an hour passes before ages alone change the body", () => {
    const aged = (ageSeconds: number) => {
      const data = sample();
      data.response.waiting = [{ mentee: "neoandmatrix", repo: "asyncapi/cli", number: 1190, ageSeconds, overdue: false }];
      return renderProgress(data);
    };
    expect(aged(10 * 60)).toContain("asyncapi/cli#1190 from **neoandmatrix**, waiting under 1h");
    expect(aged(59 * 60)).toBe(aged(10 * 60));
    expect(aged(3 * 3600 + 5 * 60)).toContain("waiting 3h\n");
    expect(aged(3 * 3600 + 55 * 60)).toBe(aged(3 * 3600 + 5 * 60));
    expect(aged(4 * 3600)).not.toBe(aged(3 * 3600 + 55 * 60));
    expect(aged(86400 + 4 * 3600 + 59 * 60)).toContain("waiting 1d 4h\n");
  });

  test("empty project", () => {
    const body = renderProgress({
      ...sample(),
      mentees: [],
      mentors: [],
      nextMilestone: null,
      milestones: [],
      tasks: [],
      activity: [],
      response: { p50Seconds: null, waiting: [], workingDaySeconds: null },
    });
    expect(body).toMatchSnapshot();
    expect(body).toContain("No mentorship tasks yet.");
    expect(body).toContain("Nobody is waiting for a mentor.");
    expect(body).toContain("- **Mentees:** —");
    expect(body).toContain("Median time to a mentor's first response: **—**");
  });

  test("under business hours the median and the waiting ages read as working time", () => {
    const data = sample();
    data.response = { ...data.response, workingDaySeconds: 8 * 3600 };
    const body = renderProgress(data);
    // 100,800 working seconds = 28 working hours = 3 working days 4h; 266,400 s = 9 working days 2h.
    expect(body).toContain("Median time to a mentor's first response: **3 working days 4h**");
    expect(body).toContain("waiting 9 working days 2h · ⚠️ **overdue**");
    // Ages to the hour, in working time too.
    expect(body).toContain("waiting under 1 working hour");
  });

  test("next milestone wording", () => {
    const render = (daysLeft: number) => renderProgress({ ...sample(), nextMilestone: { title: "M", due: "2026-08-22", daysLeft } });
    expect(render(0)).toContain("M, 2026-08-22 (due today)");
    expect(render(1)).toContain("(due tomorrow)");
    expect(render(5)).toContain("(due in 5 days)");
  });
});

describe("formatDuration", () => {
  test.each([
    [0, "0m"],
    [59, "0m"],
    [60, "1m"],
    [45 * 60, "45m"],
    [3600, "1h"],
    [3600 + 12 * 60, "1h 12m"],
    [86400 - 1, "23h 59m"],
    [86400, "1d"],
    [2 * 86400 + 3 * 3600 + 59 * 60, "2d 3h"],
    [-5, "0m"],
    [Number.NaN, "0m"],
  ])("%p → %p", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
