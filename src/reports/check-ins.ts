/**
 * Recording a check-in through the API: only one of the mentee's own mentors may, and anyone else gets
 * the same refusal as for evaluations, whatever exists.
 */
import type { AppDeps } from "../deps.js";
import { recordCheckIn } from "../db/check-ins.js";
import { loadModel } from "../db/rosters.js";
import { MAX_NOTE_LENGTH } from "../domain/evaluation-access.js";
import { toInstant, type Person } from "../domain/program.js";
import { enqueueProgressRefresh } from "../jobs/refresh-progress.js";
import { NOT_ALLOWED, type Outcome } from "./evaluations.js";
import { findProgramInstallation } from "./response-times.js";

export interface RecordedCheckInAnswer {
  program: string;
  project: string;
  mentor: string;
  mentee: string;
  at: string;
}

export async function submitCheckIn(
  deps: Pick<AppDeps, "db" | "timing" | "now">,
  programId: string,
  caller: Person,
  request: { mentee: string; note?: string | undefined; installationId?: number | null },
): Promise<Outcome<RecordedCheckInAnswer>> {
  const installationId = await findProgramInstallation(deps.db, programId, request.installationId).catch(() => null);
  const program = installationId === null ? undefined : (await loadModel(deps.db, installationId))?.programs.find((p) => p.id === programId);
  const key = request.mentee.toLowerCase();
  const project = program?.projects.find((p) => p.mentors.some((m) => m.id === caller.id) && p.mentees.some((m) => m.login.toLowerCase() === key));
  if (installationId === null || !program || !project) return { status: 403, error: NOT_ALLOWED };
  if (request.note !== undefined && request.note.length > MAX_NOTE_LENGTH) return { status: 422, error: `note is longer than ${MAX_NOTE_LENGTH} characters` };
  const mentee = project.mentees.find((m) => m.login.toLowerCase() === key)!;
  const mentor = project.mentors.find((m) => m.id === caller.id)!;
  const at = toInstant(deps.now());
  await recordCheckIn(deps.db, { installationId, programId, projectId: project.id, mentor, mentee, at, source: "api", sourceKey: null, note: request.note ?? null });
  await enqueueProgressRefresh(deps, installationId, programId, project.id);
  return { status: 201, body: { program: programId, project: project.id, mentor: mentor.login, mentee: mentee.login, at } };
}
