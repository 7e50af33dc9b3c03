/**
 * Rendering untrusted text (titles, branch names, logins read from payloads) into GitHub-flavoured
 * markdown so that it pings nobody, links nothing, injects no HTML and cannot break the table or the
 * line it sits in. `mention()` is the only way this app produces a real `@login` ping.
 *
 * Mentions: we insert U+200B ZERO WIDTH SPACE right after every at-sign (`@`, fullwidth `＠`, small
 * `﹫`). This is what Dependabot (dependabot-core#3157, and #12685 for `#`) and Renovate
 * (renovate#1083) do for the same problem. Alternatives we rejected:
 *  - wrapping handles in backticks: Dependabot tried it first and learned that GitHub's email-reply
 *    path sees the body as plain text without formatting, where `@user` pings again; backticks in the
 *    title itself also have to be dealt with;
 *  - backslash-escaping `@`: GitHub runs its mention filter on the *rendered* text nodes, so `\@user`
 *    becomes the text `@user` and pings; the same is true of entities (`&#64;user`, `&commat;user`),
 *    which is why `&` is always escaped to `&amp;` below;
 *  - U+2060 WORD JOINER works the same way for GitHub's filter but has less field history.
 * GitHub's filter needs `@` immediately followed by `[a-z0-9]`, so `@\u200buser` is inert in HTML,
 * in email and in plain-text notifications, while still reading as `@user`.
 *
 * The same zero-width space goes after `#` before a digit (`#\u200b12`) so an untrusted title that
 * says "fixes #12" or "org/repo#12" does not create cross-reference events on unrelated issues every
 * time the progress comment is edited, and after `://` and `www` so bare URLs do not turn
 * into links (GitHub autolinks them on the rendered text, where backslash escapes are already gone).
 */

const ZWSP = "\u200b";

/** Visible length cap for one piece of untrusted text, in grapheme clusters (ellipsis included). */
export const MAX_INLINE_LENGTH = 200;

/**
 * GitHub's own login rule: 1–39 ASCII letters, digits or single hyphens, no leading or trailing
 * hyphen. Bot accounts (`dependabot[bot]`) deliberately do not match: the app never pings a bot.
 */
export const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function isGitHubLogin(login: string): boolean {
  return GITHUB_LOGIN.test(login);
}

// Newline-like characters collapse to a space: a title must never start a new markdown block.
const LINE_BREAKS = /\r\n|[\n\r\t\v\f\u0085\u2028\u2029]/g;
// Other C0/C1 controls, and the bidi embedding/override/isolate controls used to make text display in
// an order different from how it reads ("Trojan Source").
const INVISIBLE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Newlines → spaces, controls dropped, whitespace runs collapsed, trimmed, capped. */
function normalise(untrusted: string, maxLength: number): string {
  const flat = String(untrusted)
    .replace(LINE_BREAKS, " ")
    .replace(INVISIBLE_CONTROLS, "")
    .replace(/ {2,}/g, " ")
    .trim();
  // A string no longer than the cap in UTF-16 units has no more graphemes than that either.
  if (flat.length <= maxLength) return flat;
  // Cut on grapheme boundaries so an emoji or a letter with combining marks is never split.
  const graphemes = Array.from(segmenter.segment(flat), (s) => s.segment);
  if (graphemes.length <= maxLength) return flat;
  return `${graphemes.slice(0, Math.max(0, maxLength - 1)).join("").trimEnd()}…`;
}

// Characters that markdown or HTML would interpret inline. `(`, `)`, `!` need no escape once `[` and
// `]` are escaped (no link or image can form); `$` is escaped because GitHub renders `$…$` as math.
const INLINE_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\\": "\\\\",
  "`": "\\`",
  "*": "\\*",
  _: "\\_",
  "[": "\\[",
  "]": "\\]",
  "|": "\\|",
  "~": "\\~",
  $: "\\$",
};
const INLINE_SPECIALS = /[&<>\\`*_[\]|~$]/g;

/**
 * Untrusted text → one line of inert markdown, safe in prose, in bold, and in a table cell (`|` is
 * escaped, which GFM honours inside cells). Empty input gives an empty string.
 */
export function inlineText(untrusted: string, maxLength: number = MAX_INLINE_LENGTH): string {
  let text = normalise(untrusted, maxLength).replace(INLINE_SPECIALS, (c) => INLINE_ESCAPES[c] ?? c);
  text = text
    .replace(/[@\uff20\ufe6b]/g, (at) => `${at}${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`);
  // Block syntax only matters at the start of a line; the caller may put the text there.
  return text.replace(/^([#+\-=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A login shown as a name, never as a ping: `**login**`, neutralised like any untrusted text. */
export function plainLogin(login: string): string {
  const text = inlineText(login, 40);
  return text === "" ? "_unknown_" : `**${text}**`;
}

/**
 * The only way to ping someone. Accepts exactly a GitHub login (no `@`, no bots, no teams) and
 * throws otherwise, so a bug upstream can never turn arbitrary text into a notification.
 */
export function mention(login: string): string {
  if (typeof login !== "string" || !GITHUB_LOGIN.test(login)) {
    throw new TypeError(`refusing to mention ${JSON.stringify(login)}: not a GitHub login`);
  }
  return `@${login}`;
}

/**
 * Mentions for a list of logins, deduplicated case-insensitively (GitHub logins are). A login that
 * is not a valid GitHub login is written as plain text instead of throwing: a nudge that reaches
 * the other mentors beats a job that fails on every run. The roster schema rejects such logins first.
 */
export function mentionEach(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const login of logins) {
    const key = String(login).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(isGitHubLogin(login) ? mention(login) : plainLogin(login));
  }
  return out;
}

/**
 * An inline code span the content cannot break out of: the fence is one backtick longer than the
 * longest backtick run inside. In a table cell set `table` so `|` is escaped (GFM splits cells before
 * parsing code spans, and honours `\|` inside them); outside tables that backslash would show.
 */
export function code(untrusted: string, opts: { table?: boolean; maxLength?: number } = {}): string {
  let text = normalise(untrusted, opts.maxLength ?? MAX_INLINE_LENGTH);
  if (opts.table) text = text.replace(/\|/g, "\\|");
  if (text === "") return "` `";
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longestRun + 1);
  // CommonMark strips one space from each side when both are present; pad so that strips ours.
  const pad = /^[` ]|[` ]$/.test(text) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * `owner/name#12` as a plain reference (GitHub links it; that is wanted and pings nobody). A repo
 * that is not a well-formed `owner/name` is rendered as inert text instead.
 */
export function issueRef(repo: string, number: number): string {
  const n = Number.isSafeInteger(number) && number > 0 ? String(number) : "?";
  if (/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/.test(repo) && n !== "?") return `${repo}#${n}`;
  return `${inlineText(repo, 140)}#${ZWSP}${n}`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Untrusted text → one line of HTML (or SVG) text, safe as element content and inside a quoted
 * attribute value: the same normalisation as `inlineText` (controls and bidi overrides dropped,
 * newlines flattened, capped on grapheme boundaries), then `& < > " '` as entities. No mention or
 * link neutralising: an HTML page pings nobody.
 */
export function htmlText(untrusted: string, maxLength: number = MAX_INLINE_LENGTH): string {
  return normalise(untrusted, maxLength).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
