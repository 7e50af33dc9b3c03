/**
 * HTML built only through `html\`…\``: every interpolated value is escaped unless it is already Html
 * made the same way, so untrusted text (titles, logins, notes) can never become markup.
 */

import { htmlText } from "../safe-text.js";

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolated = Html | string | number | null | undefined | false | readonly Interpolated[];

/** safe-text's `htmlText` (controls and bidi overrides dropped, `& < > " '` as entities), uncapped: notes run to 4,000 characters. */
export function escapeHtml(text: string): string {
  return htmlText(String(text), Number.MAX_SAFE_INTEGER);
}

function flatten(value: Interpolated): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(flatten).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += flatten(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** A link target the dashboard writes: one of its own paths (or this page's query), or an http(s) address. */
export function safeHref(href: string): string {
  return /^(\/(?!\/)|\?|https?:\/\/)/.test(href) ? href : "#";
}
