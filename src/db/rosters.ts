import type { Kysely } from "kysely";
import type { InstallationModel } from "../domain/program.js";
import type { Database } from "./schema.js";

export interface InstallationInfo {
  id: number;
  accountLogin: string;
  accountId: number;
  accountType: string;
}

export async function upsertInstallation(db: Kysely<Database>, info: InstallationInfo): Promise<void> {
  await db
    .insertInto("installations")
    .values({ id: info.id, account_login: info.accountLogin, account_id: info.accountId, account_type: info.accountType })
    .onConflict((oc) =>
      oc.column("id").doUpdateSet({ account_login: info.accountLogin, account_type: info.accountType, deleted_at: null }),
    )
    .execute();
}

export async function markInstallationDeleted(db: Kysely<Database>, installationId: number): Promise<void> {
  await db.updateTable("installations").set({ deleted_at: new Date() }).where("id", "=", installationId).execute();
}

export async function findInstallation(db: Kysely<Database>, installationId: number) {
  return db.selectFrom("installations").selectAll().where("id", "=", installationId).executeTakeFirst();
}

/**
 * Replaces an installation's roster in one transaction: the model the app works from, and the
 * programs/projects/enrolments tables the report queries join against.
 */
export async function saveRoster(
  db: Kysely<Database>,
  installationId: number,
  model: InstallationModel,
  sourceSha: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("rosters")
      .values({ installation_id: installationId, source_sha: sourceSha, content: JSON.stringify(model), last_error: null })
      .onConflict((oc) =>
        oc.column("installation_id").doUpdateSet({
          source_sha: sourceSha,
          content: JSON.stringify(model),
          loaded_at: new Date(),
          last_error: null,
          last_error_at: null,
        }),
      )
      .execute();
    for (const table of ["enrolments", "projects", "milestones", "programs"] as const) {
      await trx.deleteFrom(table).where("installation_id", "=", installationId).execute();
    }
    const people = new Map<number, string>();
    for (const [position, program] of model.programs.entries()) {
      await trx
        .insertInto("programs")
        .values({
          installation_id: installationId,
          id: program.id,
          name: program.name,
          starts: program.starts,
          ends: program.ends,
          window_from: program.window.from,
          window_to: program.window.to,
          timezone: program.timezone,
          business_hours: program.businessHours ? JSON.stringify(program.businessHours) : null,
          tracking_repo: program.trackingRepo,
          position,
        })
        .execute();
      if (program.milestones.length > 0) {
        await trx
          .insertInto("milestones")
          .values(program.milestones.map((m, i) => ({ installation_id: installationId, program_id: program.id, id: m.id, title: m.title, due: m.due, position: i })))
          .execute();
      }
      for (const [i, project] of program.projects.entries()) {
        await trx
          .insertInto("projects")
          .values({
            installation_id: installationId,
            program_id: program.id,
            id: project.id,
            title: project.title,
            repos: project.repos,
            tracking_repo: project.trackingIssue?.repo ?? null,
            tracking_number: project.trackingIssue?.number ?? null,
            position: i,
          })
          .execute();
        const enrolments = [
          ...project.mentors.map((p) => ({ ...p, role: "mentor" as const })),
          ...project.mentees.map((p) => ({ ...p, role: "mentee" as const })),
        ];
        for (const p of enrolments) people.set(p.id, p.login);
        if (enrolments.length > 0) {
          await trx
            .insertInto("enrolments")
            .values(enrolments.map((p) => ({ installation_id: installationId, program_id: program.id, project_id: project.id, role: p.role, person_id: p.id, login: p.login })))
            .execute();
        }
      }
    }
    for (const admin of model.admins) people.set(admin.id, admin.login);
    if (people.size > 0) {
      await trx
        .insertInto("people")
        .values([...people].map(([id, login]) => ({ id, login, type: "User" })))
        .onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({ login: eb.ref("excluded.login"), updated_at: new Date() })))
        .execute();
    }
  });
}

/** Records why the latest roster was refused; the last valid roster stays in force. */
export async function saveRosterError(db: Kysely<Database>, installationId: number, errors: string[]): Promise<void> {
  await db
    .updateTable("rosters")
    .set({ last_error: JSON.stringify(errors), last_error_at: new Date() })
    .where("installation_id", "=", installationId)
    .execute();
}

export async function loadModel(db: Kysely<Database>, installationId: number): Promise<InstallationModel | null> {
  const row = await db.selectFrom("rosters").select("content").where("installation_id", "=", installationId).executeTakeFirst();
  // Rosters saved before `ignore:` existed have no `ignored`.
  if (!row) return null;
  const model = row.content as Omit<InstallationModel, "ignored"> & { ignored?: InstallationModel["ignored"] };
  return { ...model, ignored: model.ignored ?? [] };
}

export async function installationsWithRoster(db: Kysely<Database>): Promise<number[]> {
  const rows = await db
    .selectFrom("rosters")
    .innerJoin("installations", "installations.id", "rosters.installation_id")
    .select("rosters.installation_id")
    .where("installations.deleted_at", "is", null)
    .execute();
  return rows.map((r) => r.installation_id);
}
