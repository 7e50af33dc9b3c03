/**
 * Lines over categories (weeks, retention windows), several series. A missing value breaks the line
 * (a week without answers is a gap, not a zero); a value with no neighbour still shows as its marker.
 * Series differ by dash pattern and marker shape as well as colour.
 */
import {
  categoryAxis,
  chartFigure,
  checkSpec,
  colourOf,
  DASHES,
  decimalsOf,
  emptyFigure,
  isEmpty,
  legend,
  marker,
  MARKERS,
  maxValue,
  plotArea,
  referenceLine,
  referenceNote,
  tooltipOf,
  valueAxis,
  yOf,
} from "./frame.js";
import { px, valueScale } from "./scale.js";
import type { ChartSpec } from "./types.js";

/** Path data with one `M` per run of present values: gaps stay gaps. */
export function linePath(points: ReadonlyArray<{ x: number; y: number } | null>): string {
  let d = "";
  let drawing = false;
  for (const p of points) {
    if (p === null) {
      drawing = false;
      continue;
    }
    d += `${drawing ? "L" : "M"}${px(p.x)} ${px(p.y)}`;
    drawing = true;
  }
  return d;
}

export function lineChart(spec: ChartSpec): string {
  checkSpec(spec);
  if (isEmpty(spec)) return emptyFigure(spec);
  const decimals = decimalsOf(spec);
  const several = spec.series.length > 1;
  const plot = plotArea(several);
  const scale = valueScale(Math.max(maxValue(spec.series), spec.reference?.value ?? 0), { wholeSteps: decimals === 0 });
  const band = plot.width / spec.categories.length;
  const centres = spec.categories.map((_, i) => plot.left + band * (i + 0.5));

  const lines = spec.series.map((s, si) => {
    const colour = colourOf(si);
    const dash = DASHES[si % DASHES.length];
    const shape = MARKERS[si % MARKERS.length]!;
    const points = s.values.map((v, i) => (v === null ? null : { x: centres[i]!, y: yOf(plot, scale, v) }));
    const d = linePath(points);
    const path = d.includes("L")
      ? `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`
      : "";
    const markers = points.map((p, i) => (p === null ? "" : marker(shape, p.x, p.y, colour, tooltipOf(spec.categories[i]!, s.name, s.values[i]!, decimals, spec.unit))));
    return `<g class="chart-series">${path}${markers.join("")}</g>`;
  });

  const swatch = (si: number) => (x: number, y: number) => {
    const colour = colourOf(si);
    const dash = DASHES[si % DASHES.length];
    return `<line x1="${x}" x2="${x + 16}" y1="${y + 5}" y2="${y + 5}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>${marker(MARKERS[si % MARKERS.length]!, x + 8, y + 5, colour, "")}`;
  };
  const body = [
    several ? legend(spec.series.map((s, i) => ({ name: s.name, swatch: swatch(i) }))) : "",
    valueAxis(plot, scale, spec.unit),
    categoryAxis(plot, spec.categories, centres),
    spec.reference ? referenceLine(plot, scale, spec.reference) : "",
    lines.join(""),
  ].join("");
  const note = referenceNote(spec, decimals);
  return chartFigure(spec, "Line chart", body, decimals, note);
}
