import type { ProbotOctokit } from "probot";
import type { Person } from "../domain/program.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** The org-wide roster: `<org>/.github` → `.github/mentorship.yml`. */
export const ROSTER_REPO = ".github";
export const ROSTER_PATH = ".github/mentorship.yml";
const CHECK_NAME = "mentorship roster";

/**
 * The roster's raw text. Probot's `context.config` would parse the YAML for us, but the raw
 * text is what lets every error name its line. Null when the org has no roster yet.
 */
export async function fetchRosterFile(octokit: Octokit, org: string, ref?: string): Promise<{ text: string; sha: string | null } | null> {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: org,
      repo: ROSTER_REPO,
      path: ROSTER_PATH,
      ...(ref ? { ref } : {}),
    });
    const file = response.data as { type?: string; content?: string; encoding?: string; sha?: string };
    if (file.type !== "file" || typeof file.content !== "string") return null;
    const text = Buffer.from(file.content, (file.encoding ?? "base64") as BufferEncoding).toString("utf8");
    return { text, sha: ref ?? null };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/**
 * Current GitHub identity of each login, in one GraphQL query per 50 logins. Logins GitHub
 * does not know are absent from the result.
 */
export async function resolveLogins(octokit: Octokit, logins: string[]): Promise<Map<string, Person>> {
  const found = new Map<string, Person>();
  for (let i = 0; i < logins.length; i += 50) {
    const batch = logins.slice(i, i + 50);
    const fields = batch.map((login, j) => `u${j}: user(login: ${JSON.stringify(login)}) { databaseId login }`).join("\n");
    let data: Record<string, { databaseId: number; login: string } | null>;
    try {
      data = await octokit.graphql(`query {\n${fields}\n}`);
    } catch (error) {
      // Unknown logins come back as NOT_FOUND errors next to the data of the known ones.
      const partial = (error as { data?: typeof data }).data;
      if (!partial) throw error;
      data = partial;
    }
    batch.forEach((login, j) => {
      const user = data[`u${j}`];
      if (user?.databaseId) found.set(login.toLowerCase(), { id: user.databaseId, login: user.login });
    });
  }
  return found;
}

/** Shows the roster's verdict on the commit that changed it, where its author will look. */
export async function reportRosterCheck(
  octokit: Octokit,
  org: string,
  sha: string,
  verdict: { ok: true; summary: string } | { ok: false; errors: string[] },
): Promise<void> {
  const output = verdict.ok
    ? { title: "Roster loaded", summary: verdict.summary }
    : {
        title: `${verdict.errors.length} problem${verdict.errors.length === 1 ? "" : "s"} in ${ROSTER_PATH}`,
        summary: "The previous valid roster stays in force until these are fixed.",
        text: verdict.errors.map((e) => `- ${e}`).join("\n").slice(0, 60_000),
      };
  await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: org,
    repo: ROSTER_REPO,
    name: CHECK_NAME,
    head_sha: sha,
    status: "completed",
    conclusion: verdict.ok ? "success" : "failure",
    output,
  });
}
