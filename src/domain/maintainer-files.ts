/**
 * CODEOWNERS and MAINTAINERS files: who they name. A person named in one of an installation's
 * repositories is a maintainer signal for program insights (src/domain/insights.ts), dated by the
 * commit on the default branch where their name first appears. Pure: text in, logins out.
 */

/** Where GitHub looks for CODEOWNERS, and the usual names of a MAINTAINERS file. */
export const MAINTAINER_FILE_PATHS = [
  ".github/CODEOWNERS",
  "CODEOWNERS",
  "docs/CODEOWNERS",
  "MAINTAINERS",
  "MAINTAINERS.md",
  "MAINTAINERS.yaml",
  "MAINTAINERS.yml",
] as const;

export type MaintainerFileKind = "codeowners" | "maintainers";

export function maintainerFileKind(path: string): MaintainerFileKind | null {
  if (!(MAINTAINER_FILE_PATHS as readonly string[]).includes(path)) return null;
  return path.endsWith("CODEOWNERS") ? "codeowners" : "maintainers";
}

const LOGIN = String.raw`[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}`;

/**
 * The GitHub logins a file names, lower-cased, each once, in order of appearance.
 * - CODEOWNERS: the `@login` owners after each pattern; `@org/team` and e-mail owners are not people
 *   the app can match, and `#` starts a comment.
 * - MAINTAINERS (free-form: markdown, YAML, plain text): `@login`, `github: login` (AsyncAPI's
 *   MAINTAINERS.yaml) and `github.com/login` links. An e-mail address is not an `@login`.
 */
export function loginsInMaintainerFile(kind: MaintainerFileKind, text: string): string[] {
  const found: string[] = [];
  const add = (login: string | undefined) => {
    if (login && !found.includes(login.toLowerCase())) found.push(login.toLowerCase());
  };
  if (kind === "codeowners") {
    for (const line of text.split(/\r?\n/)) {
      const [, ...owners] = line.replace(/(^|\s)#.*$/, "").trim().split(/\s+/);
      for (const owner of owners) add(new RegExp(`^@(${LOGIN})$`).exec(owner)?.[1]);
    }
    return found;
  }
  const patterns = [
    new RegExp(`(?<![\\w.@/-])@(${LOGIN})(?![\\w/-]|\\.[A-Za-z])`, "g"),
    new RegExp(`\\bgithub\\s*:\\s*["']?@?(${LOGIN})["']?(?=\\s|$|,|\\})`, "gim"),
    new RegExp(`github\\.com/(${LOGIN})(?![\\w/.-])`, "g"),
  ];
  const hits: { at: number; login: string }[] = [];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) hits.push({ at: m.index, login: m[1]! });
  for (const hit of hits.sort((a, b) => a.at - b.at)) add(hit.login);
  return found;
}
