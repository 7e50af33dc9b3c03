/**
 * Check-ins per (mentor, mentee): the ones mentors recorded (`check_ins`) and every response of a
 * mentor to a request of that mentee (`requests`), which count as check-ins without being recorded.
 */
import type { Kysely, Transaction } from "kysely";
import { toInstant, type Person } from "../domain/program.js";
import type { Instant } from "../domain/types.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface RecordedCheckIn {
  installationId: number;
  programId: string;
  projectId: string;
  mentor: Person;
  mentee: Person;
  at: Instant;
  source: "command" | "api";
  /** Makes a redelivered command record once, e.g. `comment:123`. */
  sourceKey: string | null;
  note: string | null;
}

/** True when stored, false when this source key was recorded already. */
export async function recordCheckIn(db: Db, checkIn: RecordedCheckIn): Promise<boolean> {
  const row = await db
    .insertInto("check_ins")
    .values({
      installation_id: checkIn.installationId,
      program_id: checkIn.programId,
      project_id: checkIn.projectId,
      mentor_id: checkIn.mentor.id,
      mentor_login: checkIn.mentor.login,
      mentee_id: checkIn.mentee.id,
      mentee_login: checkIn.mentee.login,
      at: checkIn.at,
      source: checkIn.source,
      source_key: checkIn.sourceKey,
      note: checkIn.note,
    })
    .onConflict((oc) => oc.columns(["installation_id", "source_key"]).where("source_key", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export const pairKey = (mentorId: number, menteeId: number) => `${mentorId}:${menteeId}`;

/** Every check-in of the project's pairs, keyed by `pairKey`, oldest first. */
export async function projectCheckIns(db: Db, installationId: number, programId: string, projectId: string): Promise<Map<string, Instant[]>> {
  const recorded = await db
    .selectFrom("check_ins")
    .select(["mentor_id as mentorId", "mentee_id as menteeId", "at"])
    .where("installation_id", "=", installationId)
    .where("program_id", "=", programId)
    .where("project_id", "=", projectId)
    .execute();
  const responses = await db
    .selectFrom("requests")
    .select(["responder_id as mentorId", "mentee_id as menteeId", "responded_at as at"])
    .where("installation_id", "=", installationId)
    .where("program_id", "=", programId)
    .where("project_id", "=", projectId)
    .where("responded_at", "is not", null)
    .where("responder_id", "is not", null)
    .execute();
  const byPair = new Map<string, Instant[]>();
  for (const row of [...recorded, ...responses]) {
    const key = pairKey(Number(row.mentorId), Number(row.menteeId));
    byPair.set(key, [...(byPair.get(key) ?? []), toInstant(row.at as Date)]);
  }
  for (const list of byPair.values()) list.sort();
  return byPair;
}
