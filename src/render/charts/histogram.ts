/**
 * A distribution: adjacent bars, one per bucket (lowest first), and a vertical line on one bucket edge
 * (the SLA). Buckets past the line are hatched, so "over the SLA" reads without colour.
 */
import {
  barFill,
  categoryAxis,
  chartFigure,
  checkSpec,
  colourOf,
  decimalsOf,
  emptyFigure,
  INK,
  isEmpty,
  legend,
  plotArea,
  tooltipOf,
  valueAxis,
  valueLabel,
  yOf,
} from "./frame.js";
import { htmlText } from "../safe-text.js";
import { px, valueScale } from "./scale.js";
import type { HistogramSpec } from "./types.js";

export function histogram(spec: HistogramSpec): string {
  checkSpec(spec);
  if (spec.series.length !== 1) throw new RangeError(`a histogram has exactly one series, got ${spec.series.length}`);
  const n = spec.categories.length;
  const boundary = spec.boundary;
  if (boundary && !(Number.isInteger(boundary.edge) && boundary.edge >= 0 && boundary.edge <= n)) {
    throw new RangeError(`histogram boundary edge ${boundary.edge} is not between 0 and ${n}`);
  }
  if (isEmpty(spec)) return emptyFigure(spec);
  const decimals = decimalsOf(spec);
  const [series] = spec.series;
  const named = boundary !== undefined && boundary.beforeLabel !== undefined && boundary.afterLabel !== undefined;
  const plot = plotArea(named);
  const scale = valueScale(Math.max(...series.values.map((v) => v ?? 0)), { wholeSteps: decimals === 0 });
  const band = plot.width / n;
  const centres = spec.categories.map((_, i) => plot.left + band * (i + 0.5));
  const colour = colourOf(0);
  const solid = barFill(spec.id, 0, colour);
  const hatched = barFill(spec.id, 1, colour);
  const past = (i: number) => boundary !== undefined && i >= boundary.edge;
  const labelled = band >= 22;

  const bars = series.values.map((v, i) => {
    if (v === null) return "";
    const x = plot.left + band * i;
    const y = yOf(plot, scale, v);
    if (v === 0) return labelled ? valueLabel(centres[i]!, y, 0, decimals) : "";
    const tip = tooltipOf(spec.categories[i]!, series.name, v, decimals, spec.unit);
    const rect = `<rect x="${px(x + 1)}" y="${px(y)}" width="${px(band - 2)}" height="${px(plot.top + plot.height - y)}" fill="${past(i) ? hatched.fill : solid.fill}" stroke="${colour}"><title>${tip}</title></rect>`;
    const label = labelled ? valueLabel(centres[i]!, y, v, decimals) : "";
    return rect + label;
  });

  let line = "";
  let note: string | undefined;
  if (boundary) {
    const x = px(plot.left + band * boundary.edge);
    // The label sits on the side with more room, so it never runs off the plot.
    const anchor = boundary.edge > n / 2 ? "end" : "start";
    const dx = anchor === "end" ? -4 : 4;
    line =
      `<g class="chart-reference"><line x1="${x}" x2="${x}" y1="${plot.top - 4}" y2="${plot.top + plot.height}" stroke="${INK}" stroke-width="1.5" stroke-dasharray="4 3"/>` +
      `<text x="${x}" y="${plot.top + 8}" dx="${dx}" text-anchor="${anchor}" fill="${INK}">${htmlText(boundary.label, 40)}</text></g>`;
    const before = spec.categories.slice(0, boundary.edge);
    note =
      before.length === 0
        ? `The line (${boundary.label}) is before the first bucket`
        : `The line (${boundary.label}) is after bucket ${before[before.length - 1]}${boundary.edge < n ? "; the buckets after it are hatched" : ""}`;
  }
  const body = [
    `<defs>${hatched.def}</defs>`,
    named
      ? legend([
          { name: boundary.beforeLabel!, swatch: (x, y) => `<rect x="${x}" y="${y}" width="16" height="10" fill="${solid.fill}" stroke="${colour}"/>` },
          { name: boundary.afterLabel!, swatch: (x, y) => `<rect x="${x}" y="${y}" width="16" height="10" fill="${hatched.fill}" stroke="${colour}"/>` },
        ])
      : "",
    valueAxis(plot, scale, spec.unit),
    `<g class="chart-bars">${bars.join("")}</g>`,
    categoryAxis(plot, spec.categories, centres),
    line,
  ].join("");
  return chartFigure(spec, "Histogram", body, decimals, note);
}
