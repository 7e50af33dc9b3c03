/** A program addressed by id, with the roster it belongs to: what every per-program view starts from. */
import type { Kysely } from "kysely";
import { loadModel } from "../db/rosters.js";
import type { Database } from "../db/schema.js";
import type { InstallationModel, ProgramModel } from "../domain/program.js";
import { AmbiguousProgramError, findProgramInstallation } from "./response-times.js";

export interface ProgramContext {
  installationId: number;
  model: InstallationModel;
  program: ProgramModel;
}

/** The program and its roster; null when no installation has it; the error when two do and none was named. */
export async function programContext(db: Kysely<Database>, programId: string, installationId?: number | null): Promise<ProgramContext | AmbiguousProgramError | null> {
  let id: number | null;
  try {
    id = await findProgramInstallation(db, programId, installationId);
  } catch (error) {
    if (error instanceof AmbiguousProgramError) return error;
    throw error;
  }
  if (id === null) return null;
  const model = await loadModel(db, id);
  const program = model?.programs.find((p) => p.id === programId);
  return model && program ? { installationId: id, model, program } : null;
}
