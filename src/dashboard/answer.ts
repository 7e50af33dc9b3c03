/** How a page result is sent: as HTML, one of its tables as CSV, or all of them as JSON. */
import type { ServerResponse } from "node:http";
import { pageTables, renderPage, type Page } from "../render/dashboard/page.js";
import { tableCsv } from "../render/dashboard/table.js";
import type { PageResult } from "./pages.js";
import { messagePage, sendCsv, sendHtml, sendJson } from "./respond.js";
import type { Session } from "./session.js";

/** One access decision (the result) for all three forms of a page. */
export function answer(res: ServerResponse, result: PageResult, session: Session, csrf: string, query: URLSearchParams, name: string, notice?: string, error?: string, status?: number): void {
  const frame = { viewer: { login: session.login }, csrf, csvHref: (id: string) => csvHref(query, id), notice, error };
  if (result.status !== 200) {
    if (query.has("csv") || query.get("format") === "json") return sendJson(res, result.status, { error: result.message });
    return sendHtml(res, result.status, messagePage(result.status === 403 ? "Not yours to see" : "Not found", result.message, { href: "/", label: "Your programs" }, frame));
  }
  const csv = query.get("csv");
  if (csv !== null) {
    const table = pageTables(result.page).find((t) => t.id === csv);
    if (!table) return sendJson(res, 404, { error: `this page has no table "${csv}"` });
    return sendCsv(res, `${name}-${table.id}.csv`, tableCsv(table));
  }
  if (query.get("format") === "json") return sendJson(res, 200, pageJson(result.page));
  sendHtml(res, status ?? 200, renderPage(result.page, frame));
}

function csvHref(query: URLSearchParams, id: string): string {
  const next = new URLSearchParams();
  const installation = query.get("installation");
  if (installation) next.set("installation", installation);
  next.set("csv", id);
  return `?${next}`;
}

function pageJson(page: Page) {
  return {
    title: page.title,
    tables: pageTables(page).map((t) => ({
      id: t.id,
      caption: t.caption,
      columns: t.columns.map((c) => c.csv ?? c.title),
      rows: t.rows.map((row) => row.map((c) => (c === null ? null : typeof c === "object" ? (c.csv === undefined ? c.text : c.csv) : c))),
    })),
  };
}

