/**
 * The one insights computation behind the API, the CLI and the slash command: the facts from the
 * database (src/db/insights.ts) fed to the pure figures (src/domain/insights.ts).
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { answeredQuestions, firstContributions, firstMergesOfOthersPullRequests, installedAt } from "../db/insights.js";
import { firstMaintainerFileMentions } from "../db/maintainer-mentions.js";
import { installationsWithRoster, loadModel } from "../db/rosters.js";
import {
  type InsightScope,
  type Insights,
  activityQuestions,
  computeInsights,
  insightSettingsOf,
  maintainerQuestions,
} from "../domain/insights.js";
import { displayModel } from "../domain/privacy.js";
import { AmbiguousProgramError, findProgramInstallation } from "./response-times.js";

export class NoRosterError extends Error {}

export async function insightsReport(db: Kysely<Database>, installationId: number, scope: InsightScope, now: Date): Promise<Insights> {
  const model = await loadModel(db, installationId);
  if (!model) throw new NoRosterError(`installation ${installationId} has no roster`);
  const settings = insightSettingsOf(model);
  const contributors = { firstContributions: await firstContributions(db, installationId), everyoneFrom: await installedAt(db, installationId) };
  const questions = activityQuestions(model, scope, settings, now, contributors);
  const alumni = maintainerQuestions(model, scope);
  const [answered, merges, namedInFiles] = await Promise.all([
    answeredQuestions(db, installationId, questions),
    firstMergesOfOthersPullRequests(db, installationId, alumni),
    firstMaintainerFileMentions(db, installationId, alumni),
  ]);
  const maintainerSignals = [...merges, ...namedInFiles];
  const activityFrom = contributors.firstContributions.reduce<string | null>((min, f) => (min === null || f.at < min ? f.at : min), null);
  // Counted by id like everyone; the model's logins are only what the figures show.
  return computeInsights(displayModel(model), scope, settings, now, { ...contributors, answered, maintainerSignals, activityFrom });
}

/** The scope's unknown program ids, to answer "unknown program" rather than an empty page. */
export async function unknownPrograms(db: Kysely<Database>, installationId: number, scope: InsightScope): Promise<string[]> {
  const model = await loadModel(db, installationId);
  const known = new Set(model?.programs.map((p) => p.id) ?? []);
  return (scope.programIds ?? []).filter((id) => !known.has(id));
}

export type InstallationChoice = { installationId: number } | { status: 404 | 409; error: string; installations?: number[] };

/**
 * Insights are per installation (one org's roster). The caller may name it; otherwise a named
 * program decides, or the only installation with a roster.
 */
export async function chooseInstallation(db: Kysely<Database>, programIds: string[] | null, installationId: number | null): Promise<InstallationChoice> {
  const withRoster = await installationsWithRoster(db);
  if (installationId !== null) {
    return withRoster.includes(installationId) ? { installationId } : { status: 404, error: `installation ${installationId} has no roster` };
  }
  const first = programIds?.[0];
  if (first !== undefined) {
    try {
      const found = await findProgramInstallation(db, first);
      return found === null ? { status: 404, error: `unknown program "${first}"` } : { installationId: found };
    } catch (error) {
      if (!(error instanceof AmbiguousProgramError)) throw error;
      return { status: 409, error: `program "${first}" exists in several installations: add installation=<id>`, installations: error.installationIds };
    }
  }
  if (withRoster.length === 1) return { installationId: withRoster[0]! };
  if (withRoster.length === 0) return { status: 404, error: "no installation has a roster yet" };
  return { status: 409, error: "several installations have a roster: add installation=<id>", installations: [...withRoster].sort((a, b) => a - b) };
}
