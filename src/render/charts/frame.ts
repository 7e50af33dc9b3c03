/**
 * What every chart shares: the checks on a spec, the <figure> around the SVG with its caption and its
 * data table, the empty figure, the axes, the legend and the series styles.
 *
 * Accessibility (WCAG 2.2): the SVG is `role="img"` named by its <title> and described by its <desc>;
 * every number it draws is also in the <table> that follows it (1.1.1); series differ by dash pattern,
 * marker shape or hatching as well as by colour (1.4.1); every colour has at least 4.5:1 contrast on
 * white (above the 3:1 that 1.4.11 asks for graphics, so thin lines stay visible).
 */
import { htmlText } from "../safe-text.js";
import { defaultDecimals, formatNumber, px, type ValueScale } from "./scale.js";
import type { ChartSeries, ChartSpec } from "./types.js";

export const WIDTH = 640;
export const HEIGHT = 300;
const FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
export const INK = "#1f2328";
const GRID = "#d0d7de";

/** Series colours, in order: each ≥ 4.5:1 against white (asserted by the unit tests). */
export const SERIES_COLOURS = ["#0b5cad", "#b3400b", "#1a7f37", "#8250df", "#b4235a", "#0e6f7f"] as const;
/** Line styles, in order: solid, dashed, dotted, dash-dot (`stroke-dasharray`). */
export const DASHES = ["", "7 4", "2 3", "9 3 2 3"] as const;
export type MarkerShape = "circle" | "square" | "triangle" | "diamond" | "cross";
export const MARKERS: readonly MarkerShape[] = ["circle", "square", "triangle", "diamond", "cross"];

export function colourOf(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
}

/** Plot area inside the SVG (the axes' labels go in the margins). */
export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function plotArea(withLegend: boolean): Plot {
  // Room above the plot for the unit label, and for the legend row when there is one.
  const top = withLegend ? 40 : 24;
  const left = 58;
  const bottom = 40;
  return { left, top, width: WIDTH - left - 14, height: HEIGHT - top - bottom };
}

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Programmer errors, thrown: a chart that silently drew the wrong numbers would be worse than none. */
export function checkSpec(spec: Pick<ChartSpec, "id" | "categories" | "series">): void {
  if (!ID.test(spec.id)) throw new RangeError(`chart id must be letters, digits, - or _, starting with a letter: ${JSON.stringify(spec.id)}`);
  for (const s of spec.series) {
    if (s.values.length !== spec.categories.length) {
      throw new RangeError(`series ${JSON.stringify(s.name)} has ${s.values.length} values for ${spec.categories.length} categories`);
    }
    for (const v of s.values) {
      if (v !== null && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`series ${JSON.stringify(s.name)}: value ${v} is not a finite number ≥ 0`);
    }
  }
}

export function isEmpty(spec: Pick<ChartSpec, "categories" | "series">): boolean {
  return spec.categories.length === 0 || spec.series.every((s) => s.values.every((v) => v === null));
}

export function decimalsOf(spec: Pick<ChartSpec, "decimals" | "series">): number {
  return spec.decimals ?? defaultDecimals(spec.series.flatMap((s) => s.values));
}

export function maxValue(series: readonly ChartSeries[]): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
  return max;
}

function withUnit(text: string, unit: string | undefined): string {
  return unit ? `${text} (${unit})` : text;
}

function caption(spec: Pick<ChartSpec, "id" | "title" | "description">): string {
  const description = spec.description ? ` <span class="chart-description">${htmlText(spec.description, 600)}</span>` : "";
  return `<figcaption id="${spec.id}-caption"><span class="chart-title">${htmlText(spec.title)}</span>${description}</figcaption>`;
}

/** The figure that replaces a chart with nothing to draw: a sentence, never an empty or broken SVG. */
export function emptyFigure(spec: Pick<ChartSpec, "id" | "title" | "description" | "emptyText">): string {
  return `<figure class="chart chart-empty" id="${spec.id}" aria-labelledby="${spec.id}-caption">${caption(spec)}<p class="chart-empty-text">${htmlText(spec.emptyText ?? "No data yet.", 300)}</p></figure>`;
}

/** The table carrying every number the chart draws, formatted as the value labels are. */
export function dataTable(spec: ChartSpec, decimals: number, note?: string): string {
  const missing = htmlText(spec.missing ?? "no data", 60);
  const head = [`<th scope="col">${htmlText(spec.categoryLabel ?? "Category", 80)}</th>`, ...spec.series.map((s) => `<th scope="col">${htmlText(withUnit(s.name, spec.unit), 120)}</th>`)];
  const rows = spec.categories.map((category, i) => {
    const cells = spec.series.map((s) => {
      const v = s.values[i] ?? null;
      return v === null ? `<td class="chart-missing">${missing}</td>` : `<td>${formatNumber(v, decimals)}</td>`;
    });
    return `<tr><th scope="row">${htmlText(category, 120)}</th>${cells.join("")}</tr>`;
  });
  const tableCaption = `${htmlText(spec.title)}: the numbers${note ? `. ${htmlText(note, 300)}` : ""}`;
  return `<table class="chart-table"><caption>${tableCaption}</caption><thead><tr>${head.join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** `<figure>`: caption, the SVG named by its own <title> and <desc>, then the table. */
export function chartFigure(spec: ChartSpec, kind: string, svgBody: string, decimals: number, note?: string): string {
  const summary = describe(spec, kind, decimals, note);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="${FONT}" font-size="12">` +
    `<title id="${spec.id}-title">${htmlText(spec.title)}</title><desc id="${spec.id}-desc">${summary}</desc>${svgBody}</svg>`;
  return `<figure class="chart" id="${spec.id}" aria-labelledby="${spec.id}-caption">${caption(spec)}${svg}${dataTable(spec, decimals, note)}</figure>`;
}

/** The <desc>: what kind of chart, which series, over which categories, the range; where the numbers are. */
function describe(spec: ChartSpec, kind: string, decimals: number, note: string | undefined): string {
  const first = spec.categories[0] as string;
  const last = spec.categories[spec.categories.length - 1] as string;
  const over = spec.categories.length === 1 ? `for ${first}` : `over ${spec.categories.length} categories from ${first} to ${last}`;
  const names = spec.series.map((s) => s.name).join(", ");
  const unit = spec.unit ? ` ${spec.unit}` : "";
  const parts = [
    spec.description ?? "",
    `${kind} of ${names} ${over}, values up to ${formatNumber(maxValue(spec.series), decimals)}${unit}.`,
    note ? `${note}.` : "",
    "The table after the chart lists every value.",
  ];
  return htmlText(parts.filter((p) => p !== "").join(" "), 1000);
}

/** Horizontal grid lines and labels for the value axis, and the unit above it. */
export function valueAxis(plot: Plot, scale: ValueScale, unit: string | undefined): string {
  const out: string[] = [];
  for (const tick of scale.ticks) {
    const y = px(yOf(plot, scale, tick));
    out.push(`<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${y}" y2="${y}" stroke="${GRID}"/>`);
    out.push(`<text x="${plot.left - 6}" y="${y}" dy="4" text-anchor="end" fill="${INK}">${formatNumber(tick, scale.decimals)}</text>`);
  }
  // From the left edge, so a long unit ("working hours") is never cut off by the viewBox.
  if (unit) out.push(`<text x="4" y="${plot.top - 10}" fill="${INK}">${htmlText(unit, 24)}</text>`);
  return `<g class="chart-axis">${out.join("")}</g>`;
}

export function yOf(plot: Plot, scale: ValueScale, value: number): number {
  return plot.top + plot.height - (value / scale.top) * plot.height;
}

/** Rough width of a label in the 12px sans-serif the charts use: enough to keep labels from colliding. */
const CHAR_WIDTH = 6.5;
const LONGEST_LABEL = 24;

/**
 * Category labels under the plot, centred on `centres`. With more categories than fit, every k-th is
 * labelled (always the first), k chosen so the longest label fits whole; only a label longer than 24
 * characters is cut, with an ellipsis (the table has it whole).
 */
export function categoryAxis(plot: Plot, categories: readonly string[], centres: number[]): string {
  const baseline = plot.top + plot.height;
  const slot = plot.width / Math.max(1, categories.length);
  const longest = Math.min(LONGEST_LABEL, Math.max(...categories.map((c) => [...c].length)));
  const every = Math.max(1, Math.ceil((longest * CHAR_WIDTH + 10) / slot));
  const room = Math.max(3, Math.floor((slot * every - 10) / CHAR_WIDTH));
  const labels = categories.map((c, i) =>
    i % every === 0 ? `<text x="${px(centres[i] as number)}" y="${baseline + 18}" text-anchor="middle" fill="${INK}">${htmlText(c, room)}</text>` : "",
  );
  return `<g class="chart-axis"><line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${baseline}" y2="${baseline}" stroke="${INK}"/>${labels.join("")}</g>`;
}

/** A dashed horizontal line at `value`, labelled at its right end. */
export function referenceLine(plot: Plot, scale: ValueScale, reference: { value: number; label: string }): string {
  const y = px(yOf(plot, scale, reference.value));
  const right = plot.left + plot.width;
  return (
    `<g class="chart-reference"><line x1="${plot.left}" x2="${right}" y1="${y}" y2="${y}" stroke="${INK}" stroke-width="1.5" stroke-dasharray="4 3"/>` +
    `<text x="${right}" y="${y}" dy="-4" text-anchor="end" fill="${INK}">${htmlText(reference.label, 40)}</text></g>`
  );
}

/** The reference line in words, for the <desc> and the table caption: `SLA: 48 hours`. */
export function referenceNote(spec: Pick<ChartSpec, "reference" | "unit">, decimals: number): string | undefined {
  if (!spec.reference) return undefined;
  return `${spec.reference.label}: ${formatNumber(spec.reference.value, decimals)}${spec.unit ? ` ${spec.unit}` : ""}`;
}

/** Legend entries in a row above the plot; `swatch` draws a 16×10 sample at (x, y). */
export function legend(items: Array<{ name: string; swatch: (x: number, y: number) => string }>): string {
  let x = 58;
  const out: string[] = [];
  for (const item of items) {
    const name = htmlText(item.name, 28);
    out.push(item.swatch(x, 8), `<text x="${x + 22}" y="17" fill="${INK}">${name}</text>`);
    x += 22 + Math.ceil(name.length * CHAR_WIDTH) + 18;
  }
  return `<g class="chart-legend">${out.join("")}</g>`;
}

/** A point marker centred on (x, y): filled shapes, or a cross, in the series colour. */
export function marker(shape: MarkerShape, x: number, y: number, colour: string, tooltip: string): string {
  const t = tooltip === "" ? "" : `<title>${tooltip}</title>`;
  switch (shape) {
    case "circle":
      return `<circle cx="${px(x)}" cy="${px(y)}" r="3.5" fill="${colour}">${t}</circle>`;
    case "square":
      return `<rect x="${px(x - 3.5)}" y="${px(y - 3.5)}" width="7" height="7" fill="${colour}">${t}</rect>`;
    case "triangle":
      return `<path d="M${px(x)} ${px(y - 4.5)}L${px(x + 4.5)} ${px(y + 3.5)}L${px(x - 4.5)} ${px(y + 3.5)}Z" fill="${colour}">${t}</path>`;
    case "diamond":
      return `<path d="M${px(x)} ${px(y - 5)}L${px(x + 5)} ${px(y)}L${px(x)} ${px(y + 5)}L${px(x - 5)} ${px(y)}Z" fill="${colour}">${t}</path>`;
    case "cross":
      return `<path d="M${px(x - 4)} ${px(y - 4)}L${px(x + 4)} ${px(y + 4)}M${px(x + 4)} ${px(y - 4)}L${px(x - 4)} ${px(y + 4)}" stroke="${colour}" stroke-width="2">${t}</path>`;
  }
}

/** A bar's value written just above its top (x is the bar's centre). */
export function valueLabel(x: number, top: number, value: number, decimals: number): string {
  return `<text x="${px(x)}" y="${px(top - 4)}" text-anchor="middle" fill="${INK}">${formatNumber(value, decimals)}</text>`;
}

/** `2024 · Mentees: 12 people`: the tooltip on one bar or point (escaped). */
export function tooltipOf(category: string, seriesName: string, value: number, decimals: number, unit: string | undefined): string {
  return htmlText(`${category} · ${seriesName}: ${formatNumber(value, decimals)}${unit ? ` ${unit}` : ""}`, 200);
}

/**
 * Fill patterns for bars, by series index: solid, then diagonal hatching, dots, cross-hatching,
 * horizontal stripes, so adjacent series differ in texture as well as colour. Returns the <defs> entry
 * (empty for solid) and the fill to use.
 */
export function barFill(chartId: string, i: number, colour: string): { def: string; fill: string } {
  const texture = i % 5;
  if (texture === 0) return { def: "", fill: colour };
  const id = `${chartId}-fill-${i}`;
  const shapes = [
    "",
    `<rect width="3" height="6" fill="${colour}"/>`,
    `<circle cx="3" cy="3" r="1.6" fill="${colour}"/>`,
    `<path d="M0 0L6 6M6 0L0 6" stroke="${colour}" stroke-width="1.5"/>`,
    `<rect width="6" height="2.5" fill="${colour}"/>`,
  ];
  const rotate = texture === 1 ? ` patternTransform="rotate(45)"` : "";
  const def = `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse"${rotate}><rect width="6" height="6" fill="#fff"/>${shapes[texture]}</pattern>`;
  return { def, fill: `url(#${id})` };
}

/**
 * Rules the host page may include in its stylesheet (the markup carries presentation attributes, so it
 * reads without them): the chart scales down on narrow screens and the table reads as a table.
 */
export const CHART_CSS = `.chart{margin:1.5rem 0}.chart-title{font-weight:600;display:block}.chart-description{display:block;color:#424a53}.chart-svg{max-width:100%;height:auto;display:block}.chart-table{border-collapse:collapse;margin-top:.5rem;font-variant-numeric:tabular-nums}.chart-table caption{text-align:left;font-size:.9em;color:#424a53}.chart-table th,.chart-table td{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:right}.chart-table th[scope=row],.chart-table thead th:first-child{text-align:left}.chart-table td.chart-text{text-align:left}.chart-missing{color:#57606a}.chart-empty-text{font-style:italic}`;
