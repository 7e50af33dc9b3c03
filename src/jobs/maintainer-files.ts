/**
 * Keeps `maintainer_mentions` (who the CODEOWNERS / MAINTAINERS files name, and since when) for
 * program insights' "mentee -> maintainer":
 * - `history`: reads every version of each such file on a repository's default branch, once per
 *   repository (a marker in backfill_cursors), queued when a roster loads;
 * - `push`: a push to the default branch that touched one of them: the file at the pushed commit.
 */
import type { AppDeps } from "../deps.js";
import { addJob } from "../db/events.js";
import { recordMaintainerMentions } from "../db/maintainer-mentions.js";
import { MAINTAINER_FILE_PATHS, loginsInMaintainerFile, maintainerFileKind } from "../domain/maintainer-files.js";
import type { Instant } from "../domain/types.js";
import { fileAt, fileCommits } from "../github/maintainer-files.js";
import { installationOctokit } from "../github/octokit.js";

export type MaintainerFilesPayload =
  | { installationId: number; repo: string; mode: "history" }
  | { installationId: number; repo: string; mode: "push"; sha: string; at: Instant; paths: string[] };

const HISTORY_DONE = "maintainer-files:";

export async function maintainerFilesJob(deps: AppDeps, payload: MaintainerFilesPayload): Promise<void> {
  const log = deps.log.child({ installation: payload.installationId, repo: payload.repo });
  const scope = `${HISTORY_DONE}${payload.repo}`;
  if (payload.mode === "history") {
    const done = await deps.db.selectFrom("backfill_cursors").select("scope").where("installation_id", "=", payload.installationId).where("scope", "=", scope).executeTakeFirst();
    if (done) return;
  }
  const octokit = await installationOctokit(deps, payload.installationId);
  let versions = 0;
  if (payload.mode === "push") {
    for (const path of payload.paths) {
      const kind = maintainerFileKind(path);
      const text = kind === null ? null : await fileAt(octokit, payload.repo, path, payload.sha);
      if (kind === null || text === null) continue;
      await recordMaintainerMentions(deps.db, payload.installationId, { repo: payload.repo, path, sha: payload.sha, at: payload.at, logins: loginsInMaintainerFile(kind, text) });
      versions++;
    }
  } else {
    for (const path of MAINTAINER_FILE_PATHS) {
      const kind = maintainerFileKind(path)!;
      for (const commit of await fileCommits(octokit, payload.repo, path)) {
        const text = await fileAt(octokit, payload.repo, path, commit.sha);
        if (text === null) continue; // the commit deleted the file
        await recordMaintainerMentions(deps.db, payload.installationId, { repo: payload.repo, path, sha: commit.sha, at: commit.at, logins: loginsInMaintainerFile(kind, text) });
        versions++;
      }
    }
    await deps.db
      .insertInto("backfill_cursors")
      .values({ installation_id: payload.installationId, scope, state: JSON.stringify({ done: true, versions }) })
      .onConflict((oc) => oc.columns(["installation_id", "scope"]).doNothing())
      .execute();
  }
  log.info({ mode: payload.mode, versions }, "maintainer files read");
}

/**
 * One history read per repository, after the roster's backfill has had its head start: both share
 * the installation's rate limit, and insights are not urgent.
 */
export async function queueMaintainerFileHistories(deps: AppDeps, installationId: number, repos: string[]): Promise<void> {
  for (const repo of new Set(repos)) {
    await addJob(deps.db, {
      task: "maintainer-files",
      payload: { installationId, repo, mode: "history" },
      key: `maintainer-files:${installationId}:${repo}`,
      keyMode: "preserve_run_at",
      delaySeconds: 600,
    });
  }
}
