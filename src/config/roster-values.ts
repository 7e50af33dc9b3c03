/** Small value helpers the roster's schema, cross-field rules and error messages share. Pure. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function quote(value: string): string {
  return JSON.stringify(value);
}

export function isRealDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (m === null) {
    return false;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
