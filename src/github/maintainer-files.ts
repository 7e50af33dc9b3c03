/**
 * Reading CODEOWNERS / MAINTAINERS files from GitHub (REST, the installation's token, `contents: read`):
 * one file at one commit, and a file's history on the default branch.
 */
import { toInstant } from "../domain/program.js";
import type { Instant } from "../domain/types.js";
import type { Octokit } from "./octokit.js";

function split(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split("/") as [string, string];
  return { owner, repo: name };
}

/** The file's text at `ref` (a commit or branch; the default branch when absent), or null when it is not there. */
export async function fileAt(octokit: Octokit, repo: string, path: string, ref?: string): Promise<string | null> {
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...split(repo), path, ...(ref ? { ref } : {}) });
    const file = response.data as { type?: string; content?: string; encoding?: string };
    if (file.type !== "file" || typeof file.content !== "string") return null;
    return Buffer.from(file.content, (file.encoding ?? "base64") as BufferEncoding).toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/** Commits of the default branch that touched `path`, oldest first. An unknown repository has none. */
export async function fileCommits(octokit: Octokit, repo: string, path: string): Promise<{ sha: string; at: Instant }[]> {
  try {
    const commits = await octokit.paginate("GET /repos/{owner}/{repo}/commits", { ...split(repo), path, per_page: 100 });
    return commits
      .map((c) => ({ sha: c.sha, at: toInstant(c.commit.committer?.date ?? c.commit.author?.date ?? 0) }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  } catch (error) {
    // 404: the repository is gone or not visible; 409: it is empty.
    if ([404, 409].includes((error as { status?: number }).status ?? 0)) return [];
    throw error;
  }
}
