import { describe, expect, test } from "@jest/globals";
import { barChart, histogram, lineChart } from "../../src/render/charts/index.js";
import { SERIES_COLOURS } from "../../src/render/charts/frame.js";
import { valueScale } from "../../src/render/charts/scale.js";
import type { ChartSpec } from "../../src/render/charts/types.js";
import { barsOf, gridYs, seriesOf, tableOf, ticksOf } from "../helpers/chart-markup.js";

const participants: ChartSpec = {
  id: "participants",
  title: "Participants per year",
  description: "Distinct people in programs starting that year.",
  categories: ["2021", "2022", "2023", "2024", "2025"],
  series: [
    { name: "Mentees", values: [5, 8, 12, 20, 37] },
    { name: "Mentors", values: [3, 4, 6, null, 11] },
  ],
  unit: "people",
  categoryLabel: "Year",
};

const HOSTILE = `<script>alert(1)</script> "quoted" & 'single' \u202Egnp.exe <img src=x onerror=alert(1)>`;

/** WCAG relative luminance contrast of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (l + 0.05);
}

describe("valueScale", () => {
  test.each([
    [37, true, ["0", "10", "20", "30", "40"]],
    [101, true, ["0", "20", "40", "60", "80", "100", "120"]],
    [4, true, ["0", "1", "2", "3", "4"]],
    [3, true, ["0", "1", "2", "3"]],
    [3, false, ["0", "0.5", "1", "1.5", "2", "2.5", "3"]],
    [0.9, false, ["0", "0.2", "0.4", "0.6", "0.8", "1"]],
    [0, true, ["0", "1"]],
    [48, false, ["0", "10", "20", "30", "40", "50"]],
  ])("max %p (whole steps %p) ticks at round numbers", (max, wholeSteps, expected) => {
    const scale = valueScale(max, { wholeSteps });
    expect(scale.ticks.map(String)).toEqual(expected);
    expect(scale.top).toBeGreaterThanOrEqual(max);
  });
});

describe("barChart", () => {
  const html = barChart(participants);

  test("the table carries exactly the numbers of the spec, a missing one as such", () => {
    const table = tableOf(html);
    expect(table.header).toEqual(["Year", "Mentees (people)", "Mentors (people)"]);
    expect(table.rows).toEqual([
      ["2021", "5", "3"],
      ["2022", "8", "4"],
      ["2023", "12", "6"],
      ["2024", "20", "no data"],
      ["2025", "37", "11"],
    ]);
    expect(html).toMatch(/<th scope="col">Year<\/th>/);
    expect(html).toMatch(/<th scope="row">2021<\/th>/);
    expect(table.caption).toContain("Participants per year");
  });

  test("bar heights are proportional to the values, and a missing value draws no bar", () => {
    const bars = barsOf(html);
    expect(bars).toHaveLength(9);
    const values = [5, 8, 12, 20, 37, 3, 4, 6, 11];
    const perUnit = bars.map((b, i) => b.height / values[i]!);
    for (const r of perUnit) expect(r).toBeCloseTo(perUnit[0]!, 1);
    expect(bars.map((b) => b.title)).toContain("2025 · Mentors: 11 people");
    expect(bars.some((b) => b.title.startsWith("2024 · Mentors"))).toBe(false);
    // Every bar stands on the axis.
    const baseline = Math.max(...gridYs(html));
    for (const b of bars) expect(b.y + b.height).toBeCloseTo(baseline, 0);
  });

  test("the value axis goes to a round number at or above the largest value", () => {
    expect(ticksOf(html)).toEqual(["0", "10", "20", "30", "40"]);
    const bars = barsOf(html);
    const grid = gridYs(html);
    // The 37-people bar reaches 37/40 of the way from the 0 line to the 40 line.
    const tallest = bars.find((b) => b.title.startsWith("2025 · Mentees"))!;
    expect((grid[0]! - tallest.y) / (grid[0]! - grid[4]!)).toBeCloseTo(37 / 40, 2);
  });

  test("series differ by texture as well as colour, and the legend names them", () => {
    const bars = barsOf(html);
    const mentees = bars.filter((b) => b.title.includes("Mentees"));
    const mentors = bars.filter((b) => b.title.includes("Mentors"));
    expect(new Set(mentees.map((b) => b.fill))).toEqual(new Set([SERIES_COLOURS[0]]));
    expect(new Set(mentors.map((b) => b.fill))).toEqual(new Set(["url(#participants-fill-1)"]));
    expect(html).toContain('<pattern id="participants-fill-1"');
    expect(html).toMatch(/<g class="chart-legend">.*>Mentees<.*>Mentors</);
  });

  test("a zero draws no bar but says 0 on the axis; a missing value says nothing", () => {
    const zero = barChart({ id: "z", title: "Maintainers", categories: ["2023", "2024", "2025"], series: [{ name: "n", values: [2, 0, null] }] });
    expect(barsOf(zero).map((b) => b.title)).toEqual(["2023 · n: 2"]);
    const labels = [...zero.matchAll(/<g class="chart-bars">.*?<\/g>/g)][0]![0].match(/>(\d+)<\/text>/g);
    expect(labels).toEqual([">2</text>", ">0</text>"]);
    expect(tableOf(zero).rows).toEqual([
      ["2023", "2"],
      ["2024", "0"],
      ["2025", "no data"],
    ]);
  });

  test("stacked bars sit on each other, each as tall as its own value", () => {
    const stacked = barChart({ id: "s", title: "Tasks by state", stacked: true, categories: ["cli", "website"], series: [{ name: "done", values: [3, 1] }, { name: "open", values: [2, 4] }] });
    const bars = barsOf(stacked);
    const [cliDone, websiteDone, cliOpen, websiteOpen] = bars;
    expect(cliOpen!.y + cliOpen!.height).toBeCloseTo(cliDone!.y, 0);
    expect(websiteOpen!.y + websiteOpen!.height).toBeCloseTo(websiteDone!.y, 0);
    expect(cliOpen!.height / 2).toBeCloseTo(cliDone!.height / 3, 0);
    expect(cliDone!.x).toBe(cliOpen!.x);
    // The axis fits the tallest stack (5), not the tallest segment.
    expect(ticksOf(stacked).at(-1)).toBe("5");
  });

  test("a reference line is drawn at its value and stated in the table caption", () => {
    const withTarget = barChart({ ...participants, reference: { value: 30, label: "Target" } });
    const line = /<g class="chart-reference"><line x1="[^"]+" x2="[^"]+" y1="([^"]+)"/.exec(withTarget);
    const grid = gridYs(withTarget);
    expect(Number(line![1])).toBeCloseTo(grid[3]!, 1);
    expect(tableOf(withTarget).caption).toContain("Target: 30 people");
  });
});

describe("lineChart", () => {
  const weeks = ["2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29"];
  const weekly: ChartSpec = {
    id: "weekly",
    title: "Weekly response times",
    categories: weeks,
    series: [
      { name: "p50", values: [2, 3.5, null, 4, 1.5] },
      { name: "p90", values: [10, 20.5, null, 30, 12] },
    ],
    unit: "hours",
    categoryLabel: "Week of",
    reference: { value: 48, label: "SLA" },
  };
  const html = lineChart(weekly);

  test("a week without a value is a gap in the line, not a zero", () => {
    const [p50, p90] = seriesOf(html);
    expect(p50!.d.match(/M/g)).toHaveLength(2);
    expect(p90!.d.match(/M/g)).toHaveLength(2);
    expect(p50!.points).toHaveLength(4);
    expect(p50!.points).not.toContain(expect.stringContaining("2026-06-15"));
    expect(tableOf(html).rows[2]).toEqual(["2026-06-15", "no data", "no data"]);
  });

  test("points sit at heights proportional to their values", () => {
    const [, p90] = seriesOf(html);
    const ys = [...p90!.d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    const baseline = gridYs(html)[0]!;
    const values = [10, 20.5, 30, 12];
    const perUnit = ys.map((y, i) => (baseline - y) / values[i]!);
    for (const r of perUnit) expect(r).toBeCloseTo(perUnit[0]!, 1);
  });

  test("the table shows one decimal when the values have them, the same as the tooltips", () => {
    expect(tableOf(html).rows[1]).toEqual(["2026-06-08", "3.5", "20.5"]);
    expect(tableOf(html).rows[0]).toEqual(["2026-06-01", "2.0", "10.0"]);
    expect(seriesOf(html)[0]!.points[0]).toBe("2026-06-01 · p50: 2.0 hours");
    // The SLA (48) is above every value: the axis reaches it.
    expect(ticksOf(html).at(-1)).toBe("50");
  });

  test("series differ by dash pattern and marker shape", () => {
    const [p50, p90] = seriesOf(html);
    expect(p50!.dash).toBeNull();
    expect(p90!.dash).not.toBeNull();
    expect(html).toMatch(/<g class="chart-series"><path[^>]*\/><circle/);
    expect(html).toMatch(/<g class="chart-series"><path[^>]*\/><rect/);
  });

  test("with many weeks every k-th date is labelled whole, and labels do not collide", () => {
    const categories = Array.from({ length: 18 }, (_, i) => new Date(Date.UTC(2026, 5, 15 + 7 * i)).toISOString().slice(0, 10));
    const many = lineChart({ id: "many", title: "Weeks", categories, series: [{ name: "p50", values: categories.map((_, i) => i) }] });
    const labels = [...many.matchAll(/<text x="([^"]+)" y="[^"]+" text-anchor="middle"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), text: m[2]! }));
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(labels[0]!.text).toBe("2026-06-15");
    for (const l of labels) expect(categories).toContain(l.text);
    for (let i = 1; i < labels.length; i++) expect(labels[i]!.x - labels[i - 1]!.x).toBeGreaterThan(10 * 6.5);
    // A label too long for any room is cut, never dropped: the table has it whole.
    const programs = Array.from({ length: 10 }, (_, i) => `AsyncAPI Mentorship Program ${2016 + i}`);
    const long = barChart({ id: "long", title: "Programs", categories: programs, series: [{ name: "n", values: programs.map((_, i) => i) }] });
    expect(long).toMatch(/text-anchor="middle"[^>]*>AsyncAPI Mentorship Pro[^<]*…<\/text>/);
    expect(tableOf(long).rows[0]![0]).toBe("AsyncAPI Mentorship Program 2016");
  });

  test("a single point, and a value between two gaps, show as markers without a line", () => {
    const single = lineChart({ id: "one", title: "One week", categories: ["2026-06-01"], series: [{ name: "p50", values: [4] }] });
    const [series] = seriesOf(single);
    expect(series!.d).toBe("");
    expect(series!.points).toEqual(["2026-06-01 · p50: 4"]);
    expect(tableOf(single).rows).toEqual([["2026-06-01", "4"]]);

    const island = lineChart({ id: "isl", title: "Island", categories: ["a", "b", "c"], series: [{ name: "x", values: [null, 2, null] }] });
    expect(seriesOf(island)[0]!.d).toBe("");
    expect(seriesOf(island)[0]!.points).toHaveLength(1);
  });
});

describe("histogram", () => {
  const buckets = ["≤1h", "1–4h", "4–12h", "12–24h", "24–48h", "48h–1w", ">1w"];
  const html = histogram({
    id: "latency",
    title: "Response times",
    categories: buckets,
    series: [{ name: "Answered requests", values: [12, 30, 22, 9, 5, 3, 0] }],
    unit: "requests",
    categoryLabel: "Answered in",
    boundary: { edge: 5, label: "SLA 48h", beforeLabel: "within SLA", afterLabel: "over SLA" },
  });

  test("one bar per non-empty bucket, proportional, and buckets past the SLA hatched", () => {
    const bars = barsOf(html);
    expect(bars.map((b) => b.title)).toEqual(buckets.slice(0, 6).map((b, i) => `${b} · Answered requests: ${[12, 30, 22, 9, 5, 3][i]} requests`));
    const perUnit = bars.map((b, i) => b.height / [12, 30, 22, 9, 5, 3][i]!);
    for (const r of perUnit) expect(r).toBeCloseTo(perUnit[0]!, 1);
    expect(bars.slice(0, 5).every((b) => b.fill === SERIES_COLOURS[0])).toBe(true);
    expect(bars[5]!.fill).toBe("url(#latency-fill-1)");
  });

  test("the SLA line sits on the edge between the 24–48h and 48h–1w buckets", () => {
    const bars = barsOf(html);
    const line = /<g class="chart-reference"><line x1="([^"]+)"/.exec(html);
    expect(Number(line![1])).toBeCloseTo(bars[4]!.x + bars[4]!.width + 1, 0);
    expect(Number(line![1])).toBeCloseTo(bars[5]!.x - 1, 0);
    expect(tableOf(html).caption).toContain("SLA 48h");
  });

  test("the table lists every bucket, the empty one as 0", () => {
    expect(tableOf(html).rows).toEqual([
      ["≤1h", "12"],
      ["1–4h", "30"],
      ["4–12h", "22"],
      ["12–24h", "9"],
      ["24–48h", "5"],
      ["48h–1w", "3"],
      [">1w", "0"],
    ]);
  });

  test("a boundary outside the buckets and a second series are refused", () => {
    const spec = { id: "h", title: "t", categories: ["a", "b"], series: [{ name: "n", values: [1, 2] }] as const };
    expect(() => histogram({ ...spec, boundary: { edge: 3, label: "SLA" } })).toThrow(RangeError);
    expect(() => histogram({ ...spec, series: [...spec.series, ...spec.series] as never })).toThrow(RangeError);
  });
});

describe("every chart", () => {
  const all = {
    bar: (spec: ChartSpec) => barChart(spec),
    line: (spec: ChartSpec) => lineChart(spec),
    histogram: (spec: ChartSpec) => histogram({ ...spec, series: [spec.series[0]!] }),
  };

  test.each(Object.entries(all))("%s: hostile text is escaped everywhere it appears", (_, render) => {
    const html = render({
      id: "evil",
      title: HOSTILE,
      description: HOSTILE,
      categories: [HOSTILE, "b"],
      series: [{ name: HOSTILE, values: [1, 2] }],
      unit: `"><script>`,
      categoryLabel: HOSTILE,
      missing: HOSTILE,
    });
    expect(html).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    expect(html).not.toContain("\u202E");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;");
    // Every attribute is a quoted value without a stray quote: the tag structure survived.
    for (const tag of html.match(/<[a-z][^>]*>/g) ?? []) expect(tag).toMatch(/^<[a-z][a-z0-9]*(?: [a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*\/?>$/);
  });

  test.each(Object.entries(all))("%s: no data renders a clear figure, not an empty SVG", (_, render) => {
    for (const spec of [
      { id: "e", title: "Response times", categories: [], series: [{ name: "n", values: [] }] },
      { id: "e", title: "Response times", categories: ["a", "b"], series: [{ name: "n", values: [null, null] }] },
    ]) {
      const html = render(spec);
      expect(html).not.toContain("<svg");
      expect(html).toContain("No data yet.");
      expect(html).toContain('<figcaption id="e-caption"><span class="chart-title">Response times</span>');
    }
    expect(render({ id: "e", title: "t", categories: [], series: [{ name: "n", values: [] }], emptyText: "No answered requests yet." })).toContain(
      "No answered requests yet.",
    );
  });

  test.each(Object.entries(all))("%s: the SVG is named and described, with ids from the caller's id", (_, render) => {
    const html = render({ ...participants, id: "chart-a" });
    expect(html).toMatch(/<svg [^>]*role="img" aria-labelledby="chart-a-title chart-a-desc"/);
    expect(html).toContain('<title id="chart-a-title">Participants per year</title>');
    expect(html).toMatch(/<desc id="chart-a-desc">[^<]*The table after the chart lists every value\.<\/desc>/);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.every((id) => id!.startsWith("chart-a"))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Deterministic: the same spec renders the same bytes.
    expect(render({ ...participants, id: "chart-a" })).toBe(html);
  });

  test.each(Object.entries(all))("%s: a bad id, mismatched lengths and negative values are refused", (_, render) => {
    expect(() => render({ ...participants, id: '1"bad' })).toThrow(RangeError);
    expect(() => render({ ...participants, series: [{ name: "x", values: [1, 2] }] })).toThrow(/2 values for 5 categories/);
    expect(() => render({ ...participants, series: [{ name: "x", values: [1, 2, -3, 4, 5] }] })).toThrow(RangeError);
    expect(() => render({ ...participants, series: [{ name: "x", values: [1, 2, Number.NaN, 4, 5] }] })).toThrow(RangeError);
  });

  test("a year of weeks with three series stays well under 30 KB", () => {
    const categories = Array.from({ length: 52 }, (_, i) => `week ${i + 1}`);
    const series = ["p50", "p90", "max"].map((name, s) => ({ name, values: categories.map((_, i) => ((i * 7 + s * 13) % 40) + 0.5) }));
    for (const html of [lineChart({ id: "big", title: "A year", categories, series, unit: "hours" }), barChart({ id: "big", title: "A year", categories, series })]) {
      expect(Buffer.byteLength(html)).toBeLessThan(30_000);
    }
  });

  test("every series colour has at least 4.5:1 contrast on white", () => {
    for (const colour of SERIES_COLOURS) expect(contrastOnWhite(colour)).toBeGreaterThanOrEqual(4.5);
  });
});
