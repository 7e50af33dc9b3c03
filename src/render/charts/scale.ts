/**
 * Numbers for the charts: round axis ticks, the value → pixel mapping, and number text that is the
 * same on every machine (no locale, no Intl).
 */

/** The value axis: 0 to `top` in `step`s, every tick a round number (1, 2 or 5 × 10^k). */
export interface ValueScale {
  top: number;
  step: number;
  ticks: number[];
  /** Decimals the tick labels need (0.5 steps need one). */
  decimals: number;
}

/** The round step nearest `rough` on a log scale (d3's thresholds √2, √10, √50), so 101 over 5 ticks steps by 20, not 50. */
function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / magnitude;
  const nice = fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.SQRT2 ? 2 : 1;
  return nice * magnitude;
}

function decimalsOf(step: number): number {
  return step >= 1 ? 0 : Math.min(10, Math.ceil(-Math.log10(step) - 1e-9));
}

/**
 * Ticks from 0 to the first round number at or above `max`, about `target` of them. A max of 0 (every
 * value zero) still gets an axis, 0 to 1, so zero bars sit on a readable scale.
 */
export function valueScale(max: number, options: { wholeSteps?: boolean; target?: number } = {}): ValueScale {
  if (!Number.isFinite(max) || max < 0) throw new RangeError(`chart values must be finite and not negative, got max ${max}`);
  const target = options.target ?? 5;
  // Counts never tick at 1.5 requests.
  const step = max === 0 ? 1 : Math.max(options.wholeSteps ? 1 : 0, niceStep(max / target));
  const decimals = decimalsOf(step);
  const count = max === 0 ? 1 : Math.ceil(max / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
  return { top: ticks[ticks.length - 1] as number, step, ticks, decimals };
}

/** Pixel coordinates with one decimal: enough for a crisp line, and the markup stays short. */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** `12`, `12.5`: fixed decimals, no thousands separator, no locale. */
export function formatNumber(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** 0 when every value is whole, else 1: the table then shows what the spec holds (trends round to 0.1). */
export function defaultDecimals(values: Iterable<number | null>): number {
  for (const v of values) if (v !== null && !Number.isInteger(v)) return 1;
  return 0;
}
