/**
 * Evaluation forms (append-only: an edit is a new row) and the enrolment outcomes they lead to.
 * Private data lives here: notes and ratings leave only through the admin-facing API and CLI.
 */
import type { Kysely, Transaction } from "kysely";
import { completionOf, type Completion, type EvaluationRecord } from "../domain/evaluations.js";
import type { ProgramModel, ProjectModel } from "../domain/program.js";
import { roundsOf, toInstant } from "../domain/program.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredEvaluation extends EvaluationRecord {
  id: number;
  menteeLogin: string;
}

export async function evaluationRecords(db: Db, installationId: number, programId: string, menteeIds?: readonly number[]): Promise<StoredEvaluation[]> {
  if (menteeIds !== undefined && menteeIds.length === 0) return [];
  let query = db
    .selectFrom("evaluations")
    .selectAll()
    .where("installation_id", "=", installationId)
    .where("program_id", "=", programId);
  if (menteeIds !== undefined) query = query.where("mentee_id", "in", [...menteeIds]);
  const rows = await query.orderBy("recorded_at").orderBy("id").execute();
  return rows.map((r) => ({
    id: Number(r.id),
    roundId: r.round_id,
    menteeId: Number(r.mentee_id),
    menteeLogin: r.mentee_login,
    side: r.side,
    authorId: Number(r.author_id),
    authorLogin: r.author_login,
    outcome: r.outcome,
    rating: r.rating,
    note: r.note,
    extendTo: r.extend_to,
    recordedAt: toInstant(r.recorded_at),
  }));
}

export interface EnrolmentScope {
  installationId: number;
  program: ProgramModel;
  project: ProjectModel;
}

/**
 * Appends one form and brings the enrolment's outcome up to date, in one transaction, so the outcome
 * never disagrees with the forms it was computed from.
 */
export async function recordEvaluation(
  db: Kysely<Database>,
  scope: EnrolmentScope,
  record: EvaluationRecord & { menteeLogin: string },
): Promise<{ id: number; completion: Completion }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("evaluations")
      .values({
        installation_id: scope.installationId,
        program_id: scope.program.id,
        round_id: record.roundId,
        mentee_id: record.menteeId,
        mentee_login: record.menteeLogin,
        side: record.side,
        author_id: record.authorId,
        author_login: record.authorLogin,
        outcome: record.outcome,
        rating: record.rating,
        note: record.note,
        extend_to: record.extendTo,
        recorded_at: record.recordedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const completion = await refreshOutcome(trx, scope, { id: record.menteeId, login: record.menteeLogin });
    return { id: Number(row.id), completion };
  });
}

/** Recomputes and stores one enrolment's outcome from the roster's terms and every form recorded. */
export async function refreshOutcome(db: Db, scope: EnrolmentScope, mentee: { id: number; login: string }): Promise<Completion> {
  const records = await evaluationRecords(db, scope.installationId, scope.program.id, [mentee.id]);
  const completion = completionOf(roundsOf(scope.program), scope.project.menteeTerms ?? [], records, mentee.id, scope.program.timezone);
  await db
    .insertInto("enrolment_outcomes")
    .values({
      installation_id: scope.installationId,
      program_id: scope.program.id,
      project_id: scope.project.id,
      mentee_id: mentee.id,
      mentee_login: mentee.login,
      outcome: completion.outcome,
      outcome_date: completion.date,
    })
    .onConflict((oc) =>
      oc.columns(["installation_id", "program_id", "project_id", "mentee_id"]).doUpdateSet({
        mentee_login: mentee.login,
        outcome: completion.outcome,
        outcome_date: completion.date,
        updated_at: new Date(),
      }),
    )
    .execute();
  return completion;
}

export async function enrolmentOutcomes(db: Db, installationId: number, programId: string) {
  return db
    .selectFrom("enrolment_outcomes")
    .select(["project_id", "mentee_id", "mentee_login", "outcome", "outcome_date"])
    .where("installation_id", "=", installationId)
    .where("program_id", "=", programId)
    .orderBy("project_id")
    .orderBy("mentee_login")
    .execute();
}
