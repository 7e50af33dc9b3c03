/**
 * Hidden HTML-comment markers that let the app find its own comments again (the one progress comment
 * to edit, the milestone reminder or nudge already posted). A marker is trusted only together with
 * the comment's author being the app: anybody can paste a marker into their own comment.
 *
 * Untrusted text can never produce a marker because `inlineText` turns `<` into `&lt;`.
 */

const PREFIX = "mentorship-tracker";
const KIND = /^[a-z][a-z0-9-]{0,39}$/;
/** No `>` (would close the comment) and no whitespace (would make matching ambiguous). */
const KEY = /^[A-Za-z0-9._:/-]{1,300}$/;

export function marker(kind: string, key: string): string {
  if (!KIND.test(kind)) throw new TypeError(`marker kind ${JSON.stringify(kind)} must match ${KIND}`);
  if (!KEY.test(key)) throw new TypeError(`marker key ${JSON.stringify(key)} must match ${KEY}`);
  return `<!-- ${PREFIX}:${kind}:${key} -->`;
}

/** Exact match, case-sensitive: callers build keys from ids and lower-cased logins/repos. */
export function hasMarker(body: string | null | undefined, kind: string, key: string): boolean {
  return typeof body === "string" && body.includes(marker(kind, key));
}

/** Every marker in a body, in order: lets a job list what it already posted on an issue in one pass. */
export function readMarkers(body: string | null | undefined): Array<{ kind: string; key: string }> {
  if (typeof body !== "string") return [];
  const found: Array<{ kind: string; key: string }> = [];
  for (const m of body.matchAll(/<!-- mentorship-tracker:([a-z][a-z0-9-]{0,39}):([A-Za-z0-9._:/-]{1,300}) -->/g)) {
    found.push({ kind: m[1] as string, key: m[2] as string });
  }
  return found;
}

/**
 * Joins key parts with `/`. Parts are lower-cased where they come from GitHub (logins, repos) by the
 * callers in this folder, because GitHub preserves case in payloads inconsistently and a key that
 * changed case would post the same comment twice.
 */
export function markerKey(...parts: Array<string | number>): string {
  return parts.map(String).join("/");
}
