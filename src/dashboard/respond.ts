/** Answers the dashboard sends: HTML with strict headers, redirects, CSV, JSON, and small message pages. */
import type { ServerResponse } from "node:http";
import { html, safeHref } from "../render/dashboard/html.js";
import { renderLayout } from "../render/dashboard/page.js";

/** No script runs, nothing is fetched from elsewhere, no other site may frame or post into the dashboard. */
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

export function sendHtml(res: ServerResponse, status: number, body: string, cookies: string[] = []): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...SECURITY_HEADERS, ...(cookies.length ? { "set-cookie": cookies } : {}) });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string, cookies: string[] = [], status = 303): void {
  res.writeHead(status, { location, ...SECURITY_HEADERS, ...(cookies.length ? { "set-cookie": cookies } : {}) });
  res.end();
}

export function sendCsv(res: ServerResponse, filename: string, body: string): void {
  res.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    ...SECURITY_HEADERS,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

export function messagePage(title: string, message: string, link?: { href: string; label: string }, frame: Parameters<typeof renderLayout>[1] = { viewer: null, csrf: null }): string {
  return renderLayout(title, frame, html`<h1>${title}</h1><p>${message}</p>${link ? html`<p><a class="button" href="${safeHref(link.href)}">${link.label}</a></p>` : ""}`);
}
