/**
 * Charts as plain server-side SVG (README, "Charts"): each function takes a spec (./types.ts) and
 * returns one HTML `<figure>` with its caption, an accessible SVG and a table of the same numbers.
 */
export { barChart } from "./bar.js";
export { lineChart } from "./line.js";
export { histogram } from "./histogram.js";
export { CHART_CSS } from "./frame.js";
export type { BarChartSpec, ChartSeries, ChartSpec, HistogramSpec } from "./types.js";
