/**
 * The facts program insights need from the event log (src/domain/insights.ts): first contributions,
 * which windows saw a contribution, and merges of other people's PRs. Each query reads one of the
 * partial indexes of migration 2026-12-02T14-00-00Z-insights, so the predicates below must
 * stay exactly as the indexes state them.
 */
import { type Kysely, sql } from "kysely";
import type { ActivityQuestion, FirstContribution, MaintainerSignal } from "../domain/insights.js";
import { toInstant } from "../domain/program.js";
import type { Instant } from "../domain/types.js";
import type { Database } from "./schema.js";

const CONTRIBUTION = sql`kind in ('issue_opened', 'pr_opened', 'comment_created', 'review_submitted', 'review_comment_created')
  and not actor_is_bot`;

/**
 * A deleted comment never happened (src/domain/visible-events.ts): spam removed by a maintainer is
 * no sign of staying on. One probe of the dedupe-key index, and only for the comment kinds.
 */
const NOT_DELETED = sql`(events.kind not in ('comment_created', 'review_comment_created') or not exists (
  select 1 from events deleted where deleted.installation_id = events.installation_id
    and deleted.dedupe_key = 'comment_deleted:' || split_part(events.dedupe_key, ':', 2)))`;

/** Every person's first contribution, as a skip scan: one index probe per person, not a sort of every event. */
export async function firstContributions(db: Kysely<Database>, installationId: number): Promise<FirstContribution[]> {
  const { rows } = await sql<{ actor_id: string; occurred_at: Date }>`
    with recursive firsts as (
      (select actor_id, occurred_at from events
        where installation_id = ${installationId} and ${CONTRIBUTION} and ${NOT_DELETED}
        order by actor_id, occurred_at limit 1)
      union all
      select next.actor_id, next.occurred_at from firsts, lateral (
        select actor_id, occurred_at from events
          where installation_id = ${installationId} and ${CONTRIBUTION} and ${NOT_DELETED} and actor_id > firsts.actor_id
          order by actor_id, occurred_at limit 1) next
    )
    select actor_id, occurred_at from firsts`.execute(db);
  return rows.map((r) => ({ personId: Number(r.actor_id), at: toInstant(r.occurred_at) }));
}

/** Keys of the questions whose window (from, to] holds at least one contribution by that person. */
export async function answeredQuestions(db: Kysely<Database>, installationId: number, questions: ActivityQuestion[]): Promise<Set<string>> {
  if (questions.length === 0) return new Set();
  const { rows } = await sql<{ key: string }>`
    select q.key from unnest(
      ${questions.map((q) => q.key)}::text[], ${questions.map((q) => q.personId)}::bigint[],
      ${questions.map((q) => q.from)}::timestamptz[], ${questions.map((q) => q.to)}::timestamptz[]
    ) as q(key, person_id, from_at, to_at)
    where exists (
      select 1 from events
        where installation_id = ${installationId} and ${CONTRIBUTION} and ${NOT_DELETED}
          and actor_id = q.person_id and occurred_at > q.from_at and occurred_at <= q.to_at
    )`.execute(db);
  return new Set(rows.map((r) => r.key));
}

/** Each person's first merge, from the given instant on, of a PR that someone else opened. */
export async function firstMergesOfOthersPullRequests(
  db: Kysely<Database>,
  installationId: number,
  people: { personId: number; from: Instant }[],
): Promise<MaintainerSignal[]> {
  if (people.length === 0) return [];
  const { rows } = await sql<{ actor_id: string; occurred_at: Date; repo: string; number: number }>`
    select p.person_id as actor_id, m.occurred_at, m.repo, m.number
      from unnest(${people.map((p) => p.personId)}::bigint[], ${people.map((p) => p.from)}::timestamptz[]) as p(person_id, from_at),
      lateral (
        select occurred_at, repo, number from events
          where installation_id = ${installationId} and kind = 'pr_merged'
            and actor_id = p.person_id and occurred_at >= p.from_at and thread_author_id <> actor_id
          order by occurred_at limit 1) m`.execute(db);
  return rows.map((r) => ({ personId: Number(r.actor_id), at: toInstant(r.occurred_at), how: "merge" as const, where: `${r.repo}#${r.number}` }));
}

/** When the app first saw the installation: from then on webhooks carry everyone's activity. */
export async function installedAt(db: Kysely<Database>, installationId: number): Promise<Instant | null> {
  const { rows } = await sql<{ created_at: Date }>`select created_at from installations where id = ${installationId}`.execute(db);
  return rows[0] ? toInstant(rows[0].created_at) : null;
}
