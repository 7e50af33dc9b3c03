/**
 * Insights over a plain list of contributions: what src/db/insights.ts answers from the event log,
 * without the database, for unit tests of the figures and of what renders them.
 */
import {
  type ActivityQuestion,
  type FirstContribution,
  type InsightScope,
  type MaintainerSignal,
  activityQuestions,
  computeInsights,
  insightSettingsOf,
} from "../../src/domain/insights.js";
import type { InstallationModel } from "../../src/domain/program.js";

export const ALL: InsightScope = { programIds: null, since: null, until: null };

export interface Contribution {
  personId: number;
  at: string;
}

/** The app installed long before any program of these stories: everyone's activity is known. */
export const INSTALLED = "2020-01-01T00:00:00Z";

export function insightsOver(model: InstallationModel, contributions: Contribution[], now: Date, scope = ALL, signals: MaintainerSignal[] = [], everyoneFrom: string | null = INSTALLED) {
  const firsts = new Map<number, string>();
  for (const c of contributions) if (!firsts.has(c.personId) || c.at < firsts.get(c.personId)!) firsts.set(c.personId, c.at);
  const firstContributions: FirstContribution[] = [...firsts].map(([personId, at]) => ({ personId, at }));
  const settings = insightSettingsOf(model);
  const questions = activityQuestions(model, scope, settings, now, { firstContributions, everyoneFrom });
  const inWindow = (q: ActivityQuestion) => contributions.some((c) => c.personId === q.personId && c.at > q.from && c.at <= q.to);
  const answered = new Set(questions.filter(inWindow).map((q) => q.key));
  const activityFrom = [...firsts.values()].sort()[0] ?? null;
  return computeInsights(model, scope, settings, now, { answered, firstContributions, maintainerSignals: signals, activityFrom, everyoneFrom });
}
