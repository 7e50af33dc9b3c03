/**
 * HTML built only through `html\`…\``: every interpolated value is escaped unless it is already Html
 * made the same way, so untrusted text (titles, logins, notes) can never become markup.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolated = Html | string | number | null | undefined | false | readonly Interpolated[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
// Bidi overrides and isolates make text display in another order than it reads ("Trojan Source").
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

export function escapeHtml(text: string): string {
  return String(text).replace(BIDI_CONTROLS, "").replace(/[&<>"']/g, (c) => ESCAPES[c]!);
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
