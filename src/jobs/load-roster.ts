import type { AppDeps } from "../deps.js";
import { formatRosterError, parseRoster, peopleOf, summarizeRoster } from "../config/roster.js";
import { findInstallation, saveRoster, saveRosterError } from "../db/rosters.js";
import { resolveRoster } from "../domain/resolve-roster.js";
import { openPrograms, withTopicRepos } from "../domain/open-program.js";
import { installationRepositoryTopics } from "../github/repo-topics.js";
import { fetchRosterFile, reportRosterCheck, resolveLogins } from "../github/roster.js";
import { installationOctokit } from "../github/octokit.js";
import { addJob } from "../db/events.js";
import { forgetSearches } from "../db/backfill.js";
import { backfillJobRequest } from "./backfill.js";
import { queueMaintainerFileHistories } from "./maintainer-files.js";

export interface LoadRosterPayload {
  installationId: number;
  /** The commit that changed the roster; null on install (read the default branch). */
  sha: string | null;
}

/**
 * Reads, validates and resolves the org's roster. An invalid roster never replaces the last
 * valid one: its errors are logged, stored, and shown on the commit that broke it.
 */
export async function loadRosterJob(deps: AppDeps, payload: LoadRosterPayload): Promise<void> {
  const log = deps.log.child({ job: "load-roster", installation: payload.installationId });
  const installation = await findInstallation(deps.db, payload.installationId);
  if (!installation || installation.deleted_at) return;
  const org = installation.account_login;
  const octokit = await installationOctokit(deps, payload.installationId);

  const file = await fetchRosterFile(octokit, org, payload.sha ?? undefined);
  if (!file) {
    log.info({ org }, "no roster yet (.github/mentorship.yml in the org's .github repository)");
    return;
  }

  const parsed = parseRoster(file.text);
  let errors: string[];
  if (parsed.ok) {
    const people = await resolveLogins(octokit, peopleOf(parsed.roster));
    const resolved = resolveRoster(parsed.roster, people);
    if (resolved.ok) {
      const model = openPrograms(resolved.model).some((p) => p.open.rules.topic !== null)
        ? withTopicRepos(resolved.model, await installationRepositoryTopics(octokit))
        : resolved.model;
      await saveRoster(deps.db, payload.installationId, model, file.sha);
      const summary = summarizeRoster(parsed.roster);
      log.info({ org, summary }, "roster loaded");
      if (file.sha) await reportRosterCheck(octokit, org, file.sha, { ok: true, summary });
      // Derived state depends on who is enrolled: re-derive what the roster change could affect.
      await addJob(deps.db, {
        task: "rederive-installation",
        payload: { installationId: payload.installationId },
        key: `rederive:${payload.installationId}`,
      });
      // On install or new repositories, searches that already ran may find more; after a roster
      // change only the new people's and repositories' searches have anything to do.
      if (payload.sha === null) await forgetSearches(deps.db, payload.installationId);
      await addJob(deps.db, backfillJobRequest({ installationId: payload.installationId }));
      const repos = model.programs.flatMap((program) => program.projects.flatMap((project) => project.repos));
      await queueMaintainerFileHistories(deps, payload.installationId, repos);
      return;
    }
    errors = resolved.unknownLogins.map((login) => `"${login}" is not a GitHub user (renamed or deleted account?)`);
  } else {
    errors = parsed.errors.map(formatRosterError);
  }
  log.warn({ org, errors }, "roster refused; the previous valid roster stays in force");
  await saveRosterError(deps.db, payload.installationId, errors);
  if (file.sha) await reportRosterCheck(octokit, org, file.sha, { ok: false, errors });
}
