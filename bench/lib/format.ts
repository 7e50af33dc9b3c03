/** Number formatting shared by the sections and the table. */

export function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a";
}

export function ms(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  return n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;
}

export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 ** 2).toFixed(0)} MiB` : "n/a";
}

export function ratio(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : "n/a";
}

export function pct(n: number): string {
  return Number.isFinite(n) ? `${Math.round(n * 100)}%` : "n/a";
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
