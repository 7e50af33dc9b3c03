/**
 * What a chart is asked to draw: plain data, no markup, no functions, so a spec can be built by a pure
 * domain function (src/domain/trends.ts) and asserted in a test before anything is rendered.
 */

export interface ChartSeries {
  name: string;
  /** One value per category, in category order; null is "no value" (a gap, never a zero). */
  values: ReadonlyArray<number | null>;
}

export interface ChartSpec {
  /**
   * Prefix of every id in the markup (`<id>-title`, `<id>-desc`, patterns), so several charts can share
   * a page. Letters, digits, `-` and `_`, starting with a letter; unique on the page.
   */
  id: string;
  title: string;
  /** One or two sentences under the title: what is counted, over what, on which clock. */
  description?: string;
  /** The x axis: one label per value of every series. */
  categories: readonly string[];
  series: readonly ChartSeries[];
  /** Unit of the values, on the value axis and in the table's headers: `hours`, `%`, `tasks`. */
  unit?: string;
  /** Header of the table's first column (default `Category`). */
  categoryLabel?: string;
  /** A horizontal line across the plot at this value: an SLA, a target. */
  reference?: { value: number; label: string };
  /** Digits after the decimal point in the table and value labels (default 0 when every value is whole, else 1). */
  decimals?: number;
  /** What a missing value reads as in the table (default `no data`). */
  missing?: string;
  /** What the figure says instead of a chart when there is nothing to draw (default `No data yet.`). */
  emptyText?: string;
}

export interface BarChartSpec extends ChartSpec {
  /** Stack the series in one bar per category instead of side by side. */
  stacked?: boolean;
}

export interface HistogramSpec extends Omit<ChartSpec, "series" | "reference"> {
  /** Exactly one series: the count in each bucket. Categories are the buckets, lowest first. */
  series: readonly [ChartSeries];
  /**
   * A vertical line on the edge between buckets `edge - 1` and `edge` (0 is the left end, the number of
   * buckets the right end): the SLA. Buckets past it are drawn hatched, so "over" reads without colour.
   */
  boundary?: { edge: number; label: string; beforeLabel?: string; afterLabel?: string };
}
