import type { Octokit } from "./octokit.js";

/** Built-in repository roles, weakest first; `none` when GitHub knows no access at all. */
const BUILT_IN_ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;

export interface RepoPermission {
  /** GitHub's `role_name`: a built-in role, or the name of an org's custom repository role. */
  roleName: string;
  /** The legacy base permission (`admin`, `write`, `read`, `none`), which custom roles map onto. */
  permission: string;
}

/**
 * A user's role on a repository, from the collaborator-permission API. That API, unlike a
 * comment's `author_association`, sees access granted through private org or team membership.
 * A 404 (no such user, or no access GitHub will admit to) is no access.
 */
export async function repoPermission(octokit: Octokit, repo: string, username: string): Promise<RepoPermission> {
  const [owner, name] = repo.split("/") as [string, string];
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      owner,
      repo: name,
      username,
    });
    return { roleName: String(data.role_name ?? "none"), permission: String(data.permission ?? "none") };
  } catch (error) {
    if ((error as { status?: number }).status === 404) return { roleName: "none", permission: "none" };
    throw error;
  }
}

/**
 * Whether the role lets someone push: admin, maintain or write. A custom role is judged by the
 * base permission it inherits, since its name says nothing (maintain reports base `write`,
 * triage reports `read`, so built-in roles agree with the same rule).
 */
export function canWrite(p: RepoPermission): boolean {
  if ((BUILT_IN_ROLES as readonly string[]).includes(p.roleName)) return ["admin", "maintain", "write"].includes(p.roleName);
  return p.permission === "admin" || p.permission === "write";
}
