/**
 * Nightly payload retention: each installation's events older than its roster's
 * `privacy.payloadRetention` are trimmed to what the figures come from (src/db/retention.ts).
 */
import type { AppDeps } from "../deps.js";
import { loadModel } from "../db/rosters.js";
import { trimPayloads } from "../db/retention.js";
import { privacyOf } from "../domain/privacy.js";
import { fanOut, type InstallationJobPayload } from "./milestones.js";

export async function trimPayloadsJob(deps: AppDeps, payload: InstallationJobPayload): Promise<void> {
  if (typeof payload.installationId !== "number") {
    await fanOut(deps, "trim-payloads", "trim-payloads");
    return;
  }
  await trimInstallationPayloads(deps, payload.installationId);
}

/** Returns how many events were trimmed. */
export async function trimInstallationPayloads(deps: AppDeps, installationId: number): Promise<number> {
  const model = await loadModel(deps.db, installationId);
  if (!model) return 0;
  const retentionSeconds = privacyOf(model).payloadRetentionSeconds;
  const cutoff = new Date(deps.now().getTime() - retentionSeconds * 1000);
  const trimmed = await trimPayloads(deps.db, installationId, cutoff);
  if (trimmed > 0) deps.log.info({ installation: installationId, trimmed, before: cutoff.toISOString() }, "trimmed event payloads past their retention");
  return trimmed;
}
