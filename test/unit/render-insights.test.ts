import { describe, expect, test } from "@jest/globals";
import { computeInsights, DEFAULT_INSIGHT_SETTINGS } from "../../src/domain/insights.js";
import { type InstallationModel, programWindow } from "../../src/domain/program.js";
import { renderInsightsCsv } from "../../src/render/insights-csv.js";
import { renderInsightsMarkdown, renderInsightsTable } from "../../src/render/insights-text.js";

const HOSTILE = "<img src=x onerror=alert(1)> @everyone | =cmd";
const IDS: Record<string, number> = { mia: 1, ana: 2, bobby: 3 };
const person = (login: string) => ({ id: IDS[login]!, login });

function insights() {
  const program = (id: string, starts: string, ends: string, mentors: string[], mentees: string[]) => ({
    id,
    name: id === "one" ? HOSTILE : `Program ${id}`,
    starts,
    ends,
    window: programWindow(starts, ends, "UTC"),
    timezone: "UTC",
    trackingRepo: null,
    milestones: [],
    projects: [{ id: "a", title: "A", repos: ["org/a"], trackingIssue: null, mentors: mentors.map(person), mentees: mentees.map(person) }],
  });
  const model: InstallationModel = {
    taskLabel: "mentorship",
    responders: "mentors",
    slaSeconds: 1,
    menteeSilenceSeconds: 1,
    reminderSeconds: [],
    admins: [],
    ignored: [],
    programs: [program("one", "2023-01-01", "2023-03-31", ["mia"], ["ana"]), program("two", "2024-01-01", "2024-03-31", ["mia", "ana"], ["bobby"])],
  };
  const facts = { answered: new Set<string>(), firstContributions: [], maintainerSignals: [], activityFrom: null, everyoneFrom: null };
  return computeInsights(model, { programIds: null, since: null, until: null }, DEFAULT_INSIGHT_SETTINGS, new Date("2025-01-01T00:00:00Z"), facts);
}

describe("insights renderers", () => {
  test("the markdown page names nobody unless told to", () => {
    const quiet = renderInsightsMarkdown(insights(), { showLogins: false });
    expect(quiet).toContain("| Mentors who return in another year | 50.0% (1 of 2) |   |");
    expect(quiet).not.toMatch(/\bmia\b|\bana\b/);
    const named = renderInsightsMarkdown(insights(), { showLogins: true });
    expect(named).toContain("**Returning mentors:** **mia**");
    expect(named).toContain("**Mentees who became mentors:** **ana**");
  });

  test("a roster's program name is inert in markdown, one cell in the terminal, text in CSV", () => {
    const markdown = renderInsightsMarkdown(insights(), { showLogins: false });
    expect(markdown).not.toContain("<img");
    expect(markdown).not.toContain("@everyone");
    expect(markdown.split("\n").filter((l) => l.startsWith("| 2023 |"))).toHaveLength(1);
    expect(renderInsightsTable(insights(), { showLogins: false })).toContain("2023       <img src=x onerror=alert(1)> @everyone | =cmd");
    expect(renderInsightsCsv(insights())).toContain("mentees,one,,1,,,,\r\n");
  });
});
