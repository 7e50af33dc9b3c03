import { describe, expect, test } from "@jest/globals";
import type { InstallationModel } from "../../src/domain/program.js";
import { renderInsightsCharts } from "../../src/render/insights-charts.js";
import { renderInsightsMarkdown } from "../../src/render/insights-text.js";
import { alumniModel, alumnus } from "../helpers/alumni-roster.js";
import { barsOf, tableOf } from "../helpers/chart-markup.js";
import { insightsOver } from "../helpers/insight-facts.js";
import { ghUser } from "../helpers/payloads.js";

const NOW = new Date("2026-12-02T00:00:00Z");

/**
 * The AsyncAPI alumni roster (2023, 2024 and amp-2026, fictional people) with invented activity:
 * - mentor-2023 contributes early in 2023, so the data starts before every program ends;
 * - alumna-mentor (2023 mentee, ends 18 Nov 2023) within 90 days, and again recently;
 * - docs-writer-a (2023) between 90 and 180 days after;
 * - alumnus-mentor (2024 mentee, ends 7 May 2025) within 90 days, and again recently;
 * - passer-by, a newcomer nobody mentored, first during mentorship-2024, then between 180 and 365 days after.
 * amp-2026 ended 18 Oct 2026: its two mentees are too early for every window.
 */
function story(model: InstallationModel = alumniModel()) {
  const at = (login: string, when: string) => ({ personId: alumnus(login).id, at: when });
  return insightsOver(
    model,
    [
      at("mentor-2023", "2023-01-30T10:00:00Z"),
      at("alumna-mentor", "2024-01-10T10:00:00Z"),
      at("alumna-mentor", "2026-11-01T10:00:00Z"),
      at("docs-writer-a", "2024-03-01T10:00:00Z"),
      at("alumnus-mentor", "2025-06-01T10:00:00Z"),
      at("alumnus-mentor", "2026-11-15T10:00:00Z"),
      { personId: ghUser("passer-by").id, at: "2024-12-01T10:00:00Z" },
      { personId: ghUser("passer-by").id, at: "2025-12-01T10:00:00Z" },
    ],
    NOW,
  );
}

function figure(html: string, id: string): string {
  const match = new RegExp(`<figure class="chart[^"]*" id="${id}"[\\s\\S]*?</figure>`).exec(html);
  if (!match) throw new Error(`no figure ${id}`);
  return match[0];
}

describe("renderInsightsCharts", () => {
  const insights = story();
  const html = renderInsightsCharts(insights, { showLogins: false });

  test("participants per year: distinct mentees and mentors, bars as tall as the counts", () => {
    const participants = figure(html, "insights-participants");
    expect(tableOf(participants).rows).toEqual([
      ["2023", "5", "2"],
      ["2024", "4", "3"],
      ["2026", "2", "3"],
    ]);
    const bars = barsOf(participants);
    expect(bars.map((b) => b.title)).toEqual([
      "2023 · Mentees: 5 people",
      "2024 · Mentees: 4 people",
      "2026 · Mentees: 2 people",
      "2023 · Mentors: 2 people",
      "2024 · Mentors: 3 people",
      "2026 · Mentors: 3 people",
    ]);
    expect(bars[0]!.height / 5).toBeCloseTo(bars[2]!.height / 2, 1);
  });

  test("the retention curve beside the newcomers, with the counts behind each share", () => {
    const retention = figure(html, "insights-retention");
    expect(tableOf(retention).header).toEqual(["Retained after", "Mentees (%)", "Newcomers not mentored (%)"]);
    expect(tableOf(retention).rows).toEqual([
      ["90 days", "22.2", "0.0"],
      ["180 days", "33.3", "0.0"],
      ["365 days", "33.3", "100.0"],
    ]);
    expect(retention).toContain("90 days: 2 of 9 alumni, 2 too early");
    expect(retention).toContain("365 days: 1 of 1 newcomers");
  });

  test("returning mentors, mentee to mentor, maintainers and active alumni read as the markdown does", () => {
    const conversion = figure(html, "insights-conversion");
    expect(tableOf(conversion).rows).toEqual([
      ["Returning mentors", "14.2"],
      ["Mentees → mentors", "18.1"],
      ["Alumni → maintainers", "0.0"],
      ["Active alumni", "18.1"],
    ]);
    const markdown = renderInsightsMarkdown(insights, { showLogins: false });
    expect(markdown).toContain("| Mentors who return in another year | 14.2% (1 of 7) |");
    expect(markdown).toContain("| Mentees who become mentors | 18.1% (2 of 11) |");
    expect(markdown).toContain("| Active in the last 90 days | 18.1% (2 of 11) |");
    expect(conversion).toContain("1 of 7 mentors return in another year; 2 of 11 mentees mentor in a later program");
  });

  test("the impact table lists each program and the totals", () => {
    const impact = /<table class="chart-table insights-impact">[\s\S]*?<\/table>/.exec(html)![0];
    expect(impact).toContain('<tr><th scope="row">2024</th><td class="chart-text">AsyncAPI Mentorship Program 2024</td><td>4</td><td>4</td><td>3</td></tr>');
    expect(impact).toContain('<tr><th scope="row">All years</th><td class="chart-text"></td><td>11</td><td>11</td><td>7</td></tr>');
  });

  test("nobody is named unless asked; when asked, logins are text", () => {
    expect(html).not.toMatch(/alumna-mentor|alumnus-mentor|mentor-2023/);
    const named = renderInsightsCharts(insights, { showLogins: true });
    expect(named).toContain("<dt>Returning mentors</dt><dd>mentor-2023</dd>");
    expect(named).toContain("<dt>Mentees who became mentors</dt><dd>alumna-mentor, alumnus-mentor</dd>");
  });

  test("a hostile program name is escaped", () => {
    const model = alumniModel();
    model.programs[0]!.name = `<script>alert(1)</script> "x" & y`;
    const hostile = renderInsightsCharts(story(model), { showLogins: false });
    expect(hostile).not.toContain("<script");
    expect(hostile).toContain("<td class=\"chart-text\">&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &amp; y</td>");
  });

  test("before any program has ended the retention chart says so instead of drawing nothing", () => {
    const early = insightsOver(alumniModel(), [], new Date("2023-06-01T00:00:00Z"));
    const body = renderInsightsCharts(early, { showLogins: false, idPrefix: "early" });
    expect(figure(body, "early-retention")).toContain("No alumni whose retention window has closed yet.");
    expect(figure(body, "early-retention")).not.toContain("<svg");
    expect(tableOf(figure(body, "early-participants")).rows).toEqual([
      ["2023", "5", "2"],
      ["2024", "4", "3"],
      ["2026", "2", "3"],
    ]);
  });
});
