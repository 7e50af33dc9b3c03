/**
 * Who the CODEOWNERS and MAINTAINERS files of an installation's repositories name, and since when
 * (table `maintainer_mentions`). Recording is idempotent and order-free: a login keeps the earliest
 * commit that named it, whether the history is read oldest first, newest first, or pushes arrive
 * before the backfill.
 */
import { type Kysely, sql } from "kysely";
import type { MaintainerSignal } from "../domain/insights.js";
import { toInstant } from "../domain/program.js";
import type { Instant } from "../domain/types.js";
import type { Database } from "./schema.js";

export interface FileVersion {
  repo: string;
  path: string;
  sha: string;
  /** When the commit landed (its committer date). */
  at: Instant;
  logins: string[];
}

export async function recordMaintainerMentions(db: Kysely<Database>, installationId: number, version: FileVersion): Promise<void> {
  if (version.logins.length === 0) return;
  await db
    .insertInto("maintainer_mentions")
    .values(
      version.logins.map((login) => ({
        installation_id: installationId,
        repo: version.repo,
        path: version.path,
        login: login.toLowerCase(),
        first_seen_at: version.at,
        commit_sha: version.sha,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["installation_id", "repo", "path", "login"]).doUpdateSet({
        first_seen_at: sql`least(maintainer_mentions.first_seen_at, excluded.first_seen_at)`,
        commit_sha: sql`case when excluded.first_seen_at < maintainer_mentions.first_seen_at then excluded.commit_sha else maintainer_mentions.commit_sha end`,
      }),
    )
    .execute();
}

/** Each person's first naming, from the given instant on, in a maintainer file (by their current login). */
export async function firstMaintainerFileMentions(
  db: Kysely<Database>,
  installationId: number,
  people: { personId: number; from: Instant }[],
): Promise<MaintainerSignal[]> {
  if (people.length === 0) return [];
  const { rows } = await sql<{ person_id: string; first_seen_at: Date; repo: string; path: string }>`
    select q.person_id, m.first_seen_at, m.repo, m.path
      from unnest(${people.map((p) => p.personId)}::bigint[], ${people.map((p) => p.from)}::timestamptz[]) as q(person_id, from_at)
      join people on people.id = q.person_id,
      lateral (
        select first_seen_at, repo, path from maintainer_mentions
          where installation_id = ${installationId} and login = lower(people.login) and first_seen_at >= q.from_at
          order by first_seen_at limit 1) m`.execute(db);
  return rows.map((r) => ({
    personId: Number(r.person_id),
    at: toInstant(r.first_seen_at),
    how: r.path.endsWith("CODEOWNERS") ? ("codeowners" as const) : ("maintainers" as const),
    where: `${r.repo}/${r.path}`,
  }));
}
