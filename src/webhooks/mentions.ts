/**
 * Pure: the people a comment @mentions, as GitHub would notify them. Webhooks and the backfill both
 * read comment bodies through this, so a comment gives the same event either way.
 *
 * Text GitHub does not turn into mentions is skipped: fenced and inline code, and quoted lines (a
 * mentee quoting a mentor's earlier "@mentee try this" is not a question to anyone). `@org/team`
 * mentions and e-mail addresses are not people.
 */
const FENCED = /^(```|~~~)[^\n]*\n[\s\S]*?(?:^\1[^\n]*$|(?![\s\S]))/gm;
const INLINE_CODE = /`[^`\n]*`/g;
const QUOTED_LINE = /^[ \t]{0,3}>.*$/gm;
const MENTION = /(?<![\w`@./-])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![\w/-])/g;

/** Distinct lower-cased logins, in order of first mention; empty for anything but a non-empty string. */
export function parseMentions(body: unknown): string[] {
  if (typeof body !== "string" || !body.includes("@")) return [];
  const prose = body.replace(FENCED, "").replace(INLINE_CODE, "").replace(QUOTED_LINE, "");
  const found = new Set<string>();
  for (const m of prose.matchAll(MENTION)) found.add((m[1] as string).toLowerCase());
  return [...found];
}

/** `{ mentions }` when the body mentions anyone, else nothing: events without mentions stay as they were. */
export function mentionData(body: unknown): { mentions?: string[] } {
  const mentions = parseMentions(body);
  return mentions.length > 0 ? { mentions } : {};
}
