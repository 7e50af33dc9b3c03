/**
 * A dashboard page as data (sections of key figures, tables, charts and forms) and its one HTML
 * rendering. The CSV and JSON views of a page are read from the same data (`pageTables`).
 */
import { CHART_CSS } from "../charts/index.js";
import { Html, html, safeHref } from "./html.js";
import { renderTable, type Table } from "./table.js";

export interface Kpi {
  label: string;
  value: string;
  /** e.g. "business hours (working day 8h)" */
  note?: string | undefined;
}

/**
 * A chart: its <figure> (inline SVG and a table of the same numbers, src/render/charts/) for the page,
 * and the same numbers as a Table for the CSV and JSON views.
 */
export interface Chart {
  figure: string;
  table: Table;
}

export type Block =
  | { kind: "kpis"; items: Kpi[] }
  | { kind: "table"; table: Table }
  | { kind: "chart"; chart: Chart }
  | { kind: "text"; text: string }
  | { kind: "html"; content: Html };

export interface Section {
  heading: string;
  blocks: Block[];
}

export interface Page {
  title: string;
  subtitle?: string | undefined;
  crumbs: Array<{ label: string; href: string }>;
  sections: Section[];
}

export interface Frame {
  viewer: { login: string } | null;
  /** The sign-out form's token; null when signed out. */
  csrf: string | null;
  /** This page's CSV link for a table id. */
  csvHref: (tableId: string) => string;
  notice?: string | undefined;
  error?: string | undefined;
}

export function pageTables(page: Page): Table[] {
  return page.sections.flatMap((s) =>
    s.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : b.kind === "chart" ? [b.chart.table] : [])),
  );
}

function renderChart(chart: Chart, csvHref: string): Html {
  // The figure is the charts renderer's own escaped markup.
  return html`${new Html(chart.figure)}<p class="table-foot"><a class="csv" href="${safeHref(csvHref)}" download>Download CSV<span class="visually-hidden">: ${chart.table.caption}</span></a></p>`;
}

function renderBlock(block: Block, frame: Frame): Html {
  switch (block.kind) {
    case "kpis":
      return html`<dl class="kpis">${block.items.map(
        (k) => html`<div><dt>${k.label}</dt><dd>${k.value}${k.note ? html`<small>${k.note}</small>` : ""}</dd></div>`,
      )}</dl>`;
    case "table":
      return renderTable(block.table, frame.csvHref(block.table.id));
    case "chart":
      return renderChart(block.chart, frame.csvHref(block.chart.table.id));
    case "text":
      return html`<p>${block.text}</p>`;
    case "html":
      return block.content;
  }
}

export function renderPage(page: Page, frame: Frame): string {
  const crumbs = page.crumbs.length
    ? html`<nav aria-label="Breadcrumb"><ol class="crumbs">${page.crumbs.map((c) => html`<li><a href="${safeHref(c.href)}">${c.label}</a></li>`)}<li aria-current="page">${page.title}</li></ol></nav>`
    : "";
  const body = html`${crumbs}<h1>${page.title}</h1>${page.subtitle ? html`<p class="subtitle">${page.subtitle}</p>` : ""}${
    frame.notice ? html`<p class="notice" role="status">${frame.notice}</p>` : ""
  }${frame.error ? html`<p class="error" role="alert">${frame.error}</p>` : ""}${page.sections.map(
    (s) => html`<section><h2>${s.heading}</h2>${s.blocks.map((b) => renderBlock(b, frame))}</section>`,
  )}`;
  return renderLayout(page.title, frame, body);
}

export function renderLayout(title: string, frame: Pick<Frame, "viewer" | "csrf">, body: Html): string {
  const account =
    frame.viewer && frame.csrf
      ? html`<form method="post" action="/signout" class="signout"><input type="hidden" name="csrf" value="${frame.csrf}"><span>Signed in as <strong>${frame.viewer.login}</strong></span> <button type="submit">Sign out</button></form>`
      : "";
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="same-origin"><title>${title} · mentorship-tracker</title><style>${STYLE}</style></head><body><a class="skip" href="#main">Skip to content</a><header><a class="home" href="/">mentorship-tracker</a>${account}</header><main id="main">${body}</main></body></html>`}`;
}

/** Our own constant text, not escaped: it holds quotes. */
const STYLE = new Html(
  [
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}",
    "header{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.5rem 1rem;border-bottom:1px solid #d0d7de;background:#f6f8fa}",
    ".home{font-weight:600;color:#1f2328;text-decoration:none}",
    "main{max-width:72rem;margin:0 auto;padding:1rem}",
    "a{color:#0550ae}",
    ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem}",
    ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".crumbs{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem;font-size:.9rem}.crumbs li+li:before{content:'›';margin-right:.5rem}",
    ".subtitle{color:#57606a;margin-top:-.5rem}",
    ".kpis{display:flex;flex-wrap:wrap;gap:1rem;margin:0 0 1rem}.kpis div{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;min-width:8rem}",
    ".kpis dt{font-size:.85rem;color:#57606a}.kpis dd{margin:0;font-size:1.4rem;font-weight:600}.kpis small{display:block;font-size:.75rem;font-weight:400;color:#57606a}",
    "table{border-collapse:collapse;width:100%;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}",
    "th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}thead th{background:#f6f8fa}",
    ".num{text-align:right;font-variant-numeric:tabular-nums}",
    ".table{overflow-x:auto;margin-bottom:1.5rem}.table-foot{font-size:.85rem;color:#57606a;margin:.25rem 0}",
    ".caption{font-weight:600}.empty{color:#57606a}",
    ".notice{background:#dafbe1;border:1px solid #1a7f37;padding:.5rem 1rem}.error{background:#ffebe9;border:1px solid #cf222e;padding:.5rem 1rem}",
    "form.record{border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin-bottom:1rem;max-width:36rem}",
    "form.record label{display:block;margin:.5rem 0 .25rem;font-weight:600}form.record textarea{width:100%;min-height:5rem}",
    "button{font:inherit;padding:.3rem .9rem;border:1px solid #1f2328;border-radius:6px;background:#f6f8fa;cursor:pointer}",
    ".button{display:inline-block;padding:.5rem 1rem;border-radius:6px;background:#1f883d;color:#fff;text-decoration:none;font-weight:600}",
    CHART_CSS,
  ].join(""),
);
