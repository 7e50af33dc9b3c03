import { describe, expect, test } from "@jest/globals";
import type { LatencyStats, ResponseTimeReport } from "../../src/domain/types.js";
import { GITHUB_COMMENT_MAX_LENGTH, renderReportMarkdown } from "../../src/render/report-markdown.js";
import { csvCell, renderReportCsv } from "../../src/render/report-csv.js";
import { formatClockDuration, formatPercent } from "../../src/render/format.js";
import { displayWidth, renderReportTable } from "../../src/render/report-table.js";

const REAL_MENTION = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*)/g;

const stats = (over: Partial<LatencyStats> = {}): LatencyStats => ({
  requests: 12,
  answered: 10,
  waiting: 2,
  overdue: 1,
  closedUnanswered: 0,
  p50Seconds: 100_800,
  p90Seconds: 183_600.5,
  maxSeconds: 259_200,
  withinSla: 0.8333333333333334,
  ...over,
});

function small(): ResponseTimeReport {
  return {
    program: "amp-2026",
    generatedAt: "2026-08-10T09:30:00Z",
    since: "2026-06-15T00:00:00Z",
    until: null,
    sinceDate: "2026-06-15",
    untilDate: null,
    clock: "calendar",
    workingDaySeconds: null,
    slaSeconds: 172_800,
    totals: stats(),
    byProject: [{ id: "cli", title: "AsyncAPI CLI", ...stats() }],
    byMentor: [
      { login: "AayushSaini101", answeredFirst: 7, ...stats() },
      { login: "Shurtu-gal", answeredFirst: 3, ...stats({ answered: 0, p50Seconds: null, p90Seconds: null, maxSeconds: null, withinSla: null }) },
    ],
    byMentee: [{ login: "neoandmatrix", ...stats() }],
    waiting: [
      {
        mentee: "neoandmatrix",
        repo: "asyncapi/cli",
        number: 1260,
        url: "https://github.com/asyncapi/cli/pull/1260",
        kind: "ready_for_review",
        openedAt: "2026-08-07T07:30:00Z",
        ageSeconds: 266_400,
        overdue: true,
      },
    ],
  };
}

function huge(mentors: number, waiting: number): ResponseTimeReport {
  const r = small();
  r.byProject = Array.from({ length: 30 }, (_, i) => ({ id: `p${i}`, title: `Project ${i}`, ...stats() }));
  r.byMentor = Array.from({ length: mentors }, (_, i) => ({ login: `mentor-${i}`, answeredFirst: i, ...stats() }));
  r.byMentee = Array.from({ length: mentors }, (_, i) => ({ login: `mentee-${i}`, ...stats() }));
  r.waiting = Array.from({ length: waiting }, (_, i) => ({ ...small().waiting[0]!, number: i + 1, mentee: `mentee-${i % mentors}` }));
  return r;
}

describe("renderReportMarkdown", () => {
  test("snapshot", () => {
    expect(renderReportMarkdown(small(), { fullReportHint: "https://tracker.example/api/v1/programs/amp-2026/report.csv" })).toMatchSnapshot();
  });

  test("pings nobody and keeps tables intact with hostile logins and titles", () => {
    const r = small();
    r.byMentor[0]!.login = "@everyone";
    r.byMentee[0]!.login = "＠x | y";
    r.byProject[0]!.title = "<img src=x onerror=alert(1)> | @org/team";
    r.byProject[0]!.id = "a|b`c";
    r.waiting[0]!.mentee = "&#64;octocat";
    const body = renderReportMarkdown(r, { fullReportHint: "x" });
    expect([...body.matchAll(REAL_MENTION)]).toEqual([]);
    expect(body).not.toMatch(/[@\uff20][A-Za-z0-9]/);
    expect(body).not.toContain("<img");
    for (const line of body.split("\n").filter((l) => l.startsWith("|"))) expect(line.endsWith(" |")).toBe(true);
    const projectRow = body.split("\n").find((l) => l.includes("onerror"))!;
    expect(projectRow.match(/(?<!\\)(?:\\\\)*\|/g)).toHaveLength(10);
  });

  test("fits unchanged when short", () => {
    const body = renderReportMarkdown(small(), { fullReportHint: "x" });
    expect(body).not.toContain("not shown");
    expect(body.endsWith("|\n")).toBe(true);
  });

  test("a huge report is cut at row boundaries, says what is missing, and never exceeds the limit", () => {
    const r = huge(2000, 20_000);
    const hint = "`mentorship report amp-2026 --format csv`";
    const body = renderReportMarkdown(r, { fullReportHint: hint });
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_LENGTH);
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_MAX_LENGTH - 300);
    const lastLine = body.trimEnd().split("\n").pop()!;
    expect(lastLine).toMatch(/^… (\d+ more mentees, )?[\d ]*.*not shown; the full report: `mentorship report amp-2026 --format csv`$/);
    // Every table line is complete.
    for (const line of body.split("\n").filter((l) => l.startsWith("|"))) expect(line.endsWith(" |")).toBe(true);
    // Shown rows + the counts in the note add up.
    const shownMentors = body.split("\n").filter((l) => l.startsWith("| **mentor-")).length;
    const shownMentees = body.split("\n").filter((l) => l.startsWith("| **mentee-")).length;
    const shownWaiting = body.split("\n").filter((l) => l.startsWith("| asyncapi/cli#")).length;
    const count = (noun: string) => Number(new RegExp(`(\\d+) (?:more )?${noun}`).exec(lastLine)?.[1] ?? 0);
    expect(shownMentors + count("mentors?")).toBe(2000);
    expect(shownMentees + count("mentees?")).toBe(2000);
    expect(shownWaiting + count("waiting requests?")).toBe(20_000);
    expect(shownWaiting).toBe(0);
    expect(body).not.toContain("### Waiting requests");
  });

  test("the bound holds for every limit", () => {
    const r = huge(10, 60);
    const full = renderReportMarkdown(r, { fullReportHint: "h", maxLength: 1e9 });
    for (let max = 1; max <= full.length + 10; max += 11) {
      const body = renderReportMarkdown(r, { fullReportHint: "https://example.test/full", maxLength: max });
      expect(body.length).toBeLessThanOrEqual(max);
    }
    const tight = renderReportMarkdown(r, { fullReportHint: "h", maxLength: 1500 });
    expect(tight).toContain("### Totals");
    expect(tight).toMatch(/\n… .* not shown; the full report: h\n$/);
  });

  test("a cut mentor section says how many more", () => {
    const r = huge(100, 10);
    const full = renderReportMarkdown(r, { fullReportHint: "h", maxLength: 1e9 });
    const mentorsAt = full.indexOf("| **mentor-50** |");
    const body = renderReportMarkdown(r, { fullReportHint: "h", maxLength: mentorsAt + 100 });
    expect(body).toMatch(/\n… \d+ more mentors, 100 mentees and 10 waiting requests not shown; the full report: h\n$/);
  });
});

describe("renderReportCsv", () => {
  test("header, one row per mentor, CRLF, nulls empty", () => {
    const csv = renderReportCsv(small());
    expect(csv).toBe(
      [
        "program,mentor,requests,answered,waiting,overdue,p50_seconds,p90_seconds,max_seconds,within_sla,answered_first,closed_unanswered",
        "amp-2026,AayushSaini101,12,10,2,1,100800,183600.5,259200,0.8333333333333334,7,0",
        "amp-2026,Shurtu-gal,12,0,2,1,,,,,3,0",
        "",
      ].join("\r\n"),
    );
  });

  test("RFC 4180 quoting", () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell("cr\rx")).toBe('"cr\rx"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell(0)).toBe("0");
  });

  test.each([
    ["=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "\"'\rx\""],
    ["a=b", "a=b"],
  ])("formula prefix %j", (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  test("program and login cells are protected in the full CSV", () => {
    const r = small();
    r.program = "=cmd|' /C calc'!A0";
    r.byMentor[0]!.login = "@x,\"y\"";
    const lines = renderReportCsv(r).split("\r\n");
    expect(lines[1]).toBe(`'=cmd|' /C calc'!A0,"'@x,""y""",12,10,2,1,100800,183600.5,259200,0.8333333333333334,7,0`);
  });
});

describe("renderReportTable", () => {
  test("snapshot", () => {
    expect(renderReportTable(small())).toMatchSnapshot();
  });

  test("columns line up and untrusted text cannot emit terminal escapes", () => {
    const r = small();
    r.byMentor[0]!.login = "evil\u001b[2J\u001b]8;;http://x\u0007link\u009b31m";
    r.byMentor[1]!.login = "名前の長いメンター";
    r.byProject[0]!.title = "x".repeat(80);
    const out = renderReportTable(r);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const lines = out.split("\n");
    const start = lines.indexOf("BY MENTOR");
    const block = lines.slice(start + 1, start + 5);
    const sep = block[1]!;
    // Right-aligned last column: every line of the table ends at the separator's width.
    for (const line of [block[0]!, block[2]!, block[3]!]) expect(displayWidth(line)).toBe(displayWidth(sep));
    expect(out).toContain(`${"x".repeat(39)}…`);
  });

  test("empty sections", () => {
    const r = small();
    r.waiting = [];
    expect(renderReportTable(r)).toContain("WAITING\n(none)\n");
  });
});

/** The same report on a Mon–Fri 09:00–17:00 clock: every seconds figure is working time. */
function business(): ResponseTimeReport {
  return { ...small(), clock: "business", workingDaySeconds: 8 * 3600 };
}

describe("business hours read as working time", () => {
  test("durations count working days of the program's length, never calendar days", () => {
    const day = 8 * 3600;
    expect(formatClockDuration(6 * 3600, day)).toBe("6 working hours");
    expect(formatClockDuration(2 * day, day)).toBe("2 working days");
    expect(formatClockDuration(day + 5 * 3600 + 59, day)).toBe("1 working day 5h");
    expect(formatClockDuration(3600 + 30 * 60, day)).toBe("1 working hour 30m");
    expect(formatClockDuration(59, day)).toBe("0 working minutes");
    // A 48 h SLA on an 8 h day is six working days, not "2d".
    expect(formatClockDuration(172_800, day)).toBe("6 working days");
    expect(formatClockDuration(172_800, null)).toBe("2d");
  });

  test("the table, the markdown and the CSV say so", () => {
    const table = renderReportTable(business());
    expect(table).toContain("business hours (working day 8h) · first-response SLA 6 working days");
    // p50 100,800 s = 3 working days 4h; max 259,200 s = 9 working days.
    expect(table).toMatch(/3 working days 4h .* 9 working days/);
    expect(table).not.toMatch(/\b\d+d\b/);
    const md = renderReportMarkdown(business());
    expect(md).toContain("business hours (working day 8h) · first-response SLA 6 working days");
    expect(md).toContain("| 9 working days 2h | ⚠️ yes |");
    expect(renderReportCsv(business()).split("\r\n")[0]).toBe(
      "program,mentor,requests,answered,waiting,overdue,p50_working_seconds,p90_working_seconds,max_working_seconds,within_sla,answered_first,closed_unanswered",
    );
    expect(renderReportTable(small())).toContain("calendar time · first-response SLA 2d");
  });
});

describe("within SLA and the window", () => {
  test("one decimal, rounded down: 0.9868 is 98.6%, 0.99996 is not 100%", () => {
    expect(formatPercent(0.9868)).toBe("98.6%");
    expect(formatPercent(0.99996)).toBe("99.9%");
    expect(formatPercent(0.29)).toBe("29.0%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatPercent(null)).toBe("—");
  });

  test("the header names the days asked for, until included; an instant bound reads as one", () => {
    const r = { ...small(), until: "2026-07-02T00:00:00Z", untilDate: "2026-07-01" };
    expect(renderReportTable(r)).toContain("requests from 2026-06-15 to 2026-07-01 ·");
    expect(renderReportMarkdown({ ...r, since: null, sinceDate: null })).toContain("requests until 2026-07-01 ·");
    expect(renderReportTable({ ...r, untilDate: null, until: "2026-07-01T12:00:00Z" })).toContain("requests from 2026-06-15, before 2026-07-01 12:00 UTC ·");
  });

  test("the mentor table's first column is \"Answered first\"", () => {
    expect(renderReportTable(small())).toMatch(/^Mentor +Answered first +Requests/m);
  });
});

describe("requests closed unanswered", () => {
  /** 12 requests: 8 answered, 2 waiting, 2 closed by the mentee after the SLA with no answer. */
  const withClosed = (): ResponseTimeReport => {
    const s = stats({ answered: 8, waiting: 2, closedUnanswered: 2, withinSla: 0.5 });
    return { ...small(), totals: s, byProject: [{ id: "cli", title: "AsyncAPI CLI", ...s }], byMentor: [{ login: "AayushSaini101", answeredFirst: 8, ...s }], byMentee: [{ login: "neoandmatrix", ...s }] };
  };

  test("get a column in the table and the markdown, so each row adds up; none when there are none", () => {
    const table = renderReportTable(withClosed()).split("\n");
    const header = table[table.indexOf("TOTALS") + 1]!;
    expect(header.split(/\s{2,}/)).toEqual(["Requests", "Answered", "Waiting", "Closed unanswered", "Overdue", "p50", "p90", "Max", "Within SLA"]);
    expect(table[table.indexOf("TOTALS") + 3]!.trim().split(/\s+/).slice(0, 5)).toEqual(["12", "8", "2", "2", "1"]);
    const markdown = renderReportMarkdown(withClosed());
    expect(markdown).toContain("| Requests | Answered | Waiting | Closed unanswered | Overdue | p50 | p90 | Max | Within SLA |");
    expect(markdown).toContain("| 12 | 8 | 2 | 2 | 1 |");
    expect(renderReportTable(small())).not.toContain("Closed unanswered");
    expect(renderReportMarkdown(small())).not.toContain("Closed unanswered");
  });

  test("are the CSV's last column, always present", () => {
    const [header, row] = renderReportCsv(withClosed()).split("\r\n");
    expect(header!.split(",").at(-1)).toBe("closed_unanswered");
    expect(row!.split(",").at(-1)).toBe("2");
    expect(renderReportCsv(small()).split("\r\n")[1]!.split(",").at(-1)).toBe("0");
  });
});
