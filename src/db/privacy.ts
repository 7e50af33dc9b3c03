/**
 * A person's data (README, "Privacy"): everything the database holds about them, and forgetting them.
 * A person is found by any login they have had, through their numeric ids: every row that names them
 * is then found by id, whatever it spelt their login as when it was written.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import { anonymousPerson, replacePerson } from "../domain/privacy.js";
import type { InstallationModel, Person } from "../domain/program.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** The numeric ids that have carried `login` (case-insensitive) in any stored row. */
export async function idsOfLogin(db: Db, login: string): Promise<number[]> {
  const l = login.replace(/^@/, "").toLowerCase();
  const rows = await sql<{ id: string | number }>`
    select id from people where lower(login) = ${l}
    union select actor_id from events where lower(actor_login) = ${l}
    union select person_id from enrolments where lower(login) = ${l}
    union select mentee_id from requests where lower(mentee_login) = ${l}
    union select responder_id from requests where lower(responder_login) = ${l}
    union select first_mentor_id from requests where lower(first_mentor_login) = ${l}
    union select mentee_id from tasks where lower(mentee_login) = ${l}
    union select mentee_id from evaluations where lower(mentee_login) = ${l}
    union select author_id from evaluations where lower(author_login) = ${l}
    union select mentor_id from check_ins where lower(mentor_login) = ${l}
    union select mentee_id from check_ins where lower(mentee_login) = ${l}
    union select mentee_id from enrolment_outcomes where lower(mentee_login) = ${l}`.execute(db);
  return rows.rows.map((r) => Number(r.id)).filter((id) => id > 0).sort((a, b) => a - b);
}

/** Every login `ids` have had, lower-cased, with `login` itself. */
async function loginsOf(db: Db, ids: number[], login: string): Promise<string[]> {
  const rows = await sql<{ login: string }>`
    select lower(login) as login from people where id = any(${ids}::bigint[])
    union select lower(actor_login) from events where actor_id = any(${ids}::bigint[])
    union select lower(login) from enrolments where person_id = any(${ids}::bigint[])
    union select lower(mentee_login) from requests where mentee_id = any(${ids}::bigint[])`.execute(db);
  return [...new Set([login.replace(/^@/, "").toLowerCase(), ...rows.rows.map((r) => r.login)])].sort();
}

/** Rows of `table` where any of `columns` holds one of `ids`. */
function byIds(db: Db, table: string, columns: string[], ids: number[]) {
  const where = sql.join(columns.map((c) => sql`${sql.ref(c)} = any(${ids}::bigint[])`), sql` or `);
  return sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${where} order by 1`.execute(db).then((r) => r.rows);
}

function eventsCondition(ids: number[], logins: string[]) {
  return sql`(actor_id = any(${ids}::bigint[]) or thread_author_id = any(${ids}::bigint[])
    or (data->'assignee'->>'id')::bigint = any(${ids}::bigint[])
    or (data->'requestedReviewer'->>'id')::bigint = any(${ids}::bigint[])
    or coalesce(data->'mentions', '[]'::jsonb) ?| ${logins}::text[])`;
}

/** The backfill's searches for them (`involves:login`, `reviewed-by:login`): bookmarks that name them. */
function searchCondition(logins: string[]) {
  return sql`lower(scope) ~ ${`:(${logins.join("|")})( |$)`}`;
}

function keyCondition(ids: number[], logins: string[]) {
  const parts = [...ids.map(String), ...logins].map((p) => sql`key like ${`%/${p}/%`}`);
  return sql.join(parts, sql` or `);
}

function rosterPlaces(model: InstallationModel, ids: ReadonlySet<number>): Array<Record<string, string>> {
  const places: Array<Record<string, string>> = [];
  const has = (people: Person[]) => people.some((p) => ids.has(Number(p.id)));
  if (has(model.admins)) places.push({ role: "admin" });
  if (has(model.ignored)) places.push({ role: "ignored" });
  if (has(model.privacy?.optOut ?? [])) places.push({ role: "opted out of being named" });
  for (const program of model.programs) {
    for (const project of program.projects) {
      if (has(project.mentors)) places.push({ program: program.id, project: project.id, role: "mentor" });
      if (has(project.mentees)) places.push({ program: program.id, project: project.id, role: "mentee" });
    }
  }
  return places;
}

export interface PersonExport {
  login: string;
  ids: number[];
  logins: string[];
  rows: Record<string, Array<Record<string, unknown>>>;
}

/** Every row the database holds about the person who has (or had) `login`. */
export async function exportPerson(db: Db, login: string): Promise<PersonExport> {
  const ids = await idsOfLogin(db, login);
  const logins = ids.length === 0 ? [login.toLowerCase()] : await loginsOf(db, ids, login);
  const rows: PersonExport["rows"] = {};
  if (ids.length > 0) {
    const idSet = new Set(ids);
    rows["people"] = await byIds(db, "people", ["id"], ids);
    rows["roster"] = (await db.selectFrom("rosters").select(["installation_id", "content"]).execute()).flatMap((r) =>
      rosterPlaces(r.content as InstallationModel, idSet).map((place) => ({ installation_id: r.installation_id, ...place })),
    );
    rows["enrolments"] = await byIds(db, "enrolments", ["person_id"], ids);
    rows["events"] = (await sql<Record<string, unknown>>`select * from events where ${eventsCondition(ids, logins)} order by occurred_at, id`.execute(db)).rows;
    rows["requests"] = await byIds(db, "requests", ["mentee_id", "responder_id", "first_mentor_id"], ids);
    rows["tasks"] = await byIds(db, "tasks", ["mentee_id"], ids);
    rows["evaluations"] = await byIds(db, "evaluations", ["mentee_id", "author_id"], ids);
    rows["check_ins"] = await byIds(db, "check_ins", ["mentor_id", "mentee_id"], ids);
    rows["enrolment_outcomes"] = await byIds(db, "enrolment_outcomes", ["mentee_id"], ids);
  }
  rows["maintainer_mentions"] = (await sql<Record<string, unknown>>`select * from maintainer_mentions where lower(login) = any(${logins}::text[])`.execute(db)).rows;
  rows["backfill_cursors"] = (await sql<Record<string, unknown>>`select * from backfill_cursors where ${searchCondition(logins)}`.execute(db)).rows;
  rows["posted_comments"] = ids.length === 0 ? [] : (await sql<Record<string, unknown>>`select * from posted_comments where ${keyCondition(ids, logins)}`.execute(db)).rows;
  return { login, ids, logins, rows };
}

/** How many rows each table had rewritten. */
export type ForgetResult = { anonymous: Person | null; changed: Record<string, number> };

const FORGOTTEN_KEY = "privacy:forgotten";

/**
 * Replaces the person in every stored row by one anonymous person (one per call that finds someone),
 * so every count keeps them: the same events, requests and tasks, by nobody in particular. A second
 * call for the same login finds nobody and changes nothing.
 */
export async function forgetPerson(db: Kysely<Database>, login: string): Promise<ForgetResult> {
  return db.transaction().execute(async (trx) => {
    const ids = await idsOfLogin(trx, login);
    if (ids.length === 0) return { anonymous: null, changed: {} };
    const logins = await loginsOf(trx, ids, login);
    await sql`select pg_advisory_xact_lock(hashtext(${FORGOTTEN_KEY}))`.execute(trx);
    const state = await trx.selectFrom("app_state").select("value").where("key", "=", FORGOTTEN_KEY).executeTakeFirst();
    const n = Number((state?.value as { count?: number } | undefined)?.count ?? 0) + 1;
    const anon = anonymousPerson(n);
    const anonKey = anon.login.replace(/ /g, "-");
    const changed: Record<string, number> = {};
    const count = (table: string, result: { numAffectedRows?: bigint }) => {
      const rows = Number(result.numAffectedRows ?? 0n);
      if (rows > 0) changed[table] = (changed[table] ?? 0) + rows;
    };
    const idList = sql`${ids}::bigint[]`;
    const person = JSON.stringify(anon);

    count("events", await sql`
      update events set
        actor_id = case when actor_id = any(${idList}) then ${anon.id} else actor_id end,
        actor_login = case when actor_id = any(${idList}) then ${anon.login} else actor_login end,
        thread_author_id = case when thread_author_id = any(${idList}) then ${anon.id} else thread_author_id end,
        data = data
          || case when (data->'assignee'->>'id')::bigint = any(${idList}) then jsonb_build_object('assignee', ${person}::jsonb) else '{}'::jsonb end
          || case when (data->'requestedReviewer'->>'id')::bigint = any(${idList}) then jsonb_build_object('requestedReviewer', ${person}::jsonb) else '{}'::jsonb end
          || case when coalesce(data->'mentions', '[]'::jsonb) ?| ${logins}::text[] then jsonb_build_object('mentions',
               (select jsonb_agg(case when m = any(${logins}::text[]) then ${anon.login} else m end) from jsonb_array_elements_text(data->'mentions') m))
             else '{}'::jsonb end
      where ${eventsCondition(ids, logins)}`.execute(trx));
    const swap = async (table: string, idColumn: string, loginColumn: string) =>
      count(table, await sql`update ${sql.table(table)} set ${sql.ref(idColumn)} = ${anon.id}, ${sql.ref(loginColumn)} = ${anon.login}
        where ${sql.ref(idColumn)} = any(${idList})`.execute(trx));
    await swap("requests", "mentee_id", "mentee_login");
    await swap("requests", "responder_id", "responder_login");
    await swap("requests", "first_mentor_id", "first_mentor_login");
    await swap("tasks", "mentee_id", "mentee_login");
    await swap("evaluations", "mentee_id", "mentee_login");
    await swap("evaluations", "author_id", "author_login");
    await swap("check_ins", "mentor_id", "mentor_login");
    await swap("check_ins", "mentee_id", "mentee_login");
    await swap("enrolment_outcomes", "mentee_id", "mentee_login");
    await swap("enrolments", "person_id", "login");
    count("people", await sql`delete from people where id = any(${idList})`.execute(trx));
    count("maintainer_mentions", await sql`update maintainer_mentions set login = ${anon.login} where lower(login) = any(${logins}::text[])`.execute(trx));
    // Marker keys hold a person's id or login between slashes.
    for (const part of [...ids.map(String), ...logins]) {
      count("posted_comments", await sql`update posted_comments set key = replace(key, ${`/${part}/`}, ${`/${anonKey}/`}) where key like ${`%/${part}/%`}`.execute(trx));
    }
    // Only bookmarks: a roster that still lists them plans these searches afresh.
    count("backfill_cursors", await sql`delete from backfill_cursors where ${searchCondition(logins)}`.execute(trx));
    const idSet = new Set(ids);
    for (const roster of await trx.selectFrom("rosters").select(["installation_id", "content"]).execute()) {
      const model = roster.content as InstallationModel;
      if (rosterPlaces(model, idSet).length === 0) continue;
      await trx.updateTable("rosters").set({ content: JSON.stringify(replacePerson(model, idSet, anon)) }).where("installation_id", "=", roster.installation_id).execute();
      count("rosters", { numAffectedRows: 1n });
    }
    await trx
      .insertInto("app_state")
      .values({ key: FORGOTTEN_KEY, value: JSON.stringify({ count: n }) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify({ count: n }), updated_at: new Date() }))
      .execute();
    return { anonymous: anon, changed };
  });
}
