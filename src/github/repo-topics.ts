import type { Octokit } from "./octokit.js";

export interface RepositoryTopics {
  /** lower-case `owner/name` */
  repo: string;
  topics: string[];
}

/** Every repository the installation can see, with its topics (`GET /installation/repositories`, 100 a page). */
export async function installationRepositoryTopics(octokit: Octokit): Promise<RepositoryTopics[]> {
  const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
  return repositories.map((r) => ({ repo: r.full_name.toLowerCase(), topics: (r.topics ?? []).map((t) => t.toLowerCase()) }));
}
