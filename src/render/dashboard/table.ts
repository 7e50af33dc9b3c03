/**
 * Every figure the dashboard shows sits in a table that renders as HTML and downloads as CSV from one
 * definition, so the two can never disagree. Long tables show their first rows; the CSV has them all.
 */
import { csvCell } from "../report-csv.js";
import { html, safeHref, type Html } from "./html.js";

export interface Cell {
  text: string;
  href?: string | undefined;
  /** The value written to the CSV when it differs from the text (seconds rather than "2d 3h"). */
  csv?: string | number | null | undefined;
}

export type CellInput = Cell | string | number | null;

export interface Column {
  title: string;
  /** CSV header; default: the title. */
  csv?: string;
  numeric?: boolean;
}

export interface Table {
  /** Names the table in its CSV link (`?csv=waiting`). */
  id: string;
  caption: string;
  columns: Column[];
  rows: CellInput[][];
  /** Rows shown on the page (default 100); the rest are in the CSV. */
  shown?: number;
  /** Said instead of an empty table. */
  empty?: string;
  /** The CSV, when another renderer already writes it (the insights' one figure per row). */
  csvText?: string;
}

export const DEFAULT_SHOWN_ROWS = 100;

function cellOf(input: CellInput): Cell {
  if (input === null) return { text: "—", csv: null };
  if (typeof input === "object") return input;
  return { text: String(input), csv: input };
}

export function renderTable(table: Table, csvHref: string): Html {
  const shown = table.shown ?? DEFAULT_SHOWN_ROWS;
  const rows = table.rows.slice(0, shown);
  const more = table.rows.length - rows.length;
  const download = html`<a class="csv" href="${safeHref(csvHref)}" download>Download CSV<span class="visually-hidden">: ${table.caption}</span></a>`;
  if (table.rows.length === 0) {
    return html`<div class="table" id="table-${table.id}"><p class="caption">${table.caption}</p><p class="empty">${table.empty ?? "Nothing yet."}</p></div>`;
  }
  const head = table.columns.map((c) => html`<th scope="col"${c.numeric ? html` class="num"` : ""}>${c.title}</th>`);
  const body = rows.map(
    (row) =>
      html`<tr>${row.map((input, i) => {
        const cell = cellOf(input);
        const content = cell.href ? html`<a href="${safeHref(cell.href)}">${cell.text}</a>` : cell.text;
        return i === 0 ? html`<th scope="row">${content}</th>` : html`<td${table.columns[i]?.numeric ? html` class="num"` : ""}>${content}</td>`;
      })}</tr>`,
  );
  return html`<div class="table" id="table-${table.id}"><table><caption>${table.caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p class="table-foot">${
    more > 0 ? html`Showing the first ${rows.length} of ${table.rows.length} rows; the CSV has all of them. ` : ""
  }${download}</p></div>`;
}

export function tableCsv(table: Table): string {
  if (table.csvText !== undefined) return table.csvText;
  const lines = [table.columns.map((c) => csvCell(c.csv ?? c.title)).join(",")];
  for (const row of table.rows) {
    lines.push(
      row
        .map((input) => {
          const cell = cellOf(input);
          return csvCell(cell.csv === undefined ? cell.text : cell.csv);
        })
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
