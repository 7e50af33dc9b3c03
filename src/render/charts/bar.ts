/**
 * Vertical bars, one group per category: side by side (several series), or stacked. A missing value
 * draws no bar (its table cell says so); a zero draws none either, but its value label reads 0.
 */
import {
  barFill,
  categoryAxis,
  chartFigure,
  checkSpec,
  colourOf,
  decimalsOf,
  emptyFigure,
  isEmpty,
  legend,
  maxValue,
  plotArea,
  referenceLine,
  referenceNote,
  tooltipOf,
  valueAxis,
  valueLabel,
  yOf,
} from "./frame.js";
import { px, valueScale } from "./scale.js";
import type { BarChartSpec } from "./types.js";

export function barChart(spec: BarChartSpec): string {
  checkSpec(spec);
  if (isEmpty(spec)) return emptyFigure(spec);
  const decimals = decimalsOf(spec);
  const n = spec.categories.length;
  const several = spec.series.length > 1;
  const plot = plotArea(several);
  const totals = spec.categories.map((_, i) => spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(spec.stacked ? Math.max(...totals) : maxValue(spec.series), spec.reference?.value ?? 0);
  const scale = valueScale(max, { wholeSteps: decimals === 0 });

  const band = plot.width / n;
  const group = band * 0.78;
  const barWidth = spec.stacked ? group : group / spec.series.length;
  const centres = spec.categories.map((_, i) => plot.left + band * (i + 0.5));
  const fills = spec.series.map((_, i) => barFill(spec.id, i, colourOf(i)));
  // Value labels only where the bars are wide enough to carry them, and never inside a stack.
  const labelled = !spec.stacked && barWidth >= 22;

  const bars: string[] = [];
  spec.series.forEach((s, si) => {
    const colour = colourOf(si);
    const fill = fills[si]!.fill;
    s.values.forEach((v, i) => {
      if (v === null) return;
      const x = spec.stacked ? centres[i]! - group / 2 : centres[i]! - group / 2 + si * barWidth;
      // A zero has no bar, but its label says 0 so it does not read as missing.
      if (v === 0) {
        if (labelled) bars.push(valueLabel(x + barWidth / 2, yOf(plot, scale, 0), 0, decimals));
        return;
      }
      const below = spec.stacked ? spec.series.slice(0, si).reduce((sum, t) => sum + (t.values[i] ?? 0), 0) : 0;
      const yTop = yOf(plot, scale, below + v);
      const yBottom = yOf(plot, scale, below);
      const tip = tooltipOf(spec.categories[i]!, s.name, v, decimals, spec.unit);
      bars.push(
        `<rect x="${px(x + 0.5)}" y="${px(yTop)}" width="${px(barWidth - 1)}" height="${px(yBottom - yTop)}" fill="${fill}" stroke="${colour}"><title>${tip}</title></rect>`,
      );
      if (labelled) {
        bars.push(valueLabel(x + barWidth / 2, yTop, v, decimals));
      }
    });
  });

  const defs = fills.map((f) => f.def).join("");
  const body = [
    defs === "" ? "" : `<defs>${defs}</defs>`,
    several ? legend(spec.series.map((s, i) => ({ name: s.name, swatch: (x, y) => `<rect x="${x}" y="${y}" width="16" height="10" fill="${fills[i]!.fill}" stroke="${colourOf(i)}"/>` }))) : "",
    valueAxis(plot, scale, spec.unit),
    `<g class="chart-bars">${bars.join("")}</g>`,
    categoryAxis(plot, spec.categories, centres),
    spec.reference ? referenceLine(plot, scale, spec.reference) : "",
  ].join("");
  const note = referenceNote(spec, decimals);
  return chartFigure(spec, spec.stacked ? "Stacked bar chart" : "Bar chart", body, decimals, note);
}
