/**
 * Reading the charts' markup back in tests: the data table as rows of text, the bars as rectangles,
 * the points as markers. Plain regular expressions over the app's own, attribute-ordered output.
 */

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

export function decode(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
}

/** The data table: its header cells and, per row, the row header then each cell, as text. */
export function tableOf(html: string): { caption: string; header: string[]; rows: string[][] } {
  const table = /<table class="chart-table">([\s\S]*?)<\/table>/.exec(html)?.[1];
  if (table === undefined) throw new Error("no chart table in the markup");
  const cells = (row: string) => [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => decode(m[1] as string));
  const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1] as string));
  return { caption: decode(/<caption>([\s\S]*?)<\/caption>/.exec(table)?.[1] ?? ""), header: rows[0] ?? [], rows: rows.slice(1) };
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  title: string;
}

/** Every data bar (rectangles with a tooltip, inside the bars group). */
export function barsOf(html: string): Bar[] {
  const group = /<g class="chart-bars">([\s\S]*?)<\/g>/.exec(html)?.[1] ?? "";
  return [...group.matchAll(/<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)" fill="([^"]+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    width: Number(m[3]),
    height: Number(m[4]),
    fill: m[5] as string,
    title: decode(m[6] as string),
  }));
}

/** Each series group of a line chart: its path data (empty when no line is drawn) and its marker tooltips. */
export function seriesOf(html: string): Array<{ d: string; dash: string | null; points: string[] }> {
  return [...html.matchAll(/<g class="chart-series">([\s\S]*?)<\/g>/g)].map((m) => {
    const body = m[1] as string;
    const path = /<path d="([^"]+)" fill="none"[^>]*?(?: stroke-dasharray="([^"]+)")?\/>/.exec(body);
    return {
      d: path?.[1] ?? "",
      dash: path?.[2] ?? null,
      points: [...body.matchAll(/<title>([^<]*)<\/title>/g)].map((t) => decode(t[1] as string)),
    };
  });
}

/** The value axis tick labels, bottom to top. */
export function ticksOf(html: string): string[] {
  const axis = /<g class="chart-axis">([\s\S]*?)<\/g>/.exec(html)?.[1] ?? "";
  return [...axis.matchAll(/<text x="[^"]+" y="[^"]+" dy="4" text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);
}

/** The y of each value-axis grid line, in tick order. */
export function gridYs(html: string): number[] {
  const axis = /<g class="chart-axis">([\s\S]*?)<\/g>/.exec(html)?.[1] ?? "";
  return [...axis.matchAll(/<line x1="[^"]+" x2="[^"]+" y1="([^"]+)"/g)].map((m) => Number(m[1]));
}
