import type { AppDeps } from "../deps.js";
import { postMilestoneComments } from "../jobs/milestones.js";
import { postNudges } from "../jobs/nudges.js";

/**
 * Scheduled work the demo runs on its simulated clock, where production runs the same functions
 * from graphile-worker's crontab on the real one.
 */
export const DAILY_TICKS: Array<(deps: AppDeps, installationId: number) => Promise<unknown>> = [postMilestoneComments, postNudges];
