/**
 * What the app remembers about the comments and issues it writes: the tracking issue it opened per
 * project (`tracking_issues`), and one row per comment it must write at most once (`posted_comments`,
 * primary key installation + key), which also remembers where the progress comment is.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { OpenedTrackingIssue } from "../domain/enrolments.js";
import type { Database } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface ProjectKey {
  installationId: number;
  programId: string;
  projectId: string;
}

const heldHere = new Set<string>();

export type Locked<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `fn` holding the lock `name`, or returns `{ ran: false }` at once when someone else holds it:
 * callers that find a project busy come back later rather than occupy a worker slot waiting.
 *
 * Across processes it is a session-level PostgreSQL advisory lock, taken on one pooled connection
 * that `fn` receives and must use for all its database work. No transaction stays open, so `fn` may
 * call GitHub for as long as Probot's throttling makes it wait (a primary rate limit waits in-process
 * until the reset): that holds one idle connection, not a snapshot or row locks. If the process dies
 * the session ends and PostgreSQL releases the lock. Within a process a set of held names does the
 * same job, because the embedded database serves every connection from one backend session, where
 * advisory locks are re-entrant and exclude nothing. A hash collision between two names only makes
 * one of them look busy.
 */
export async function tryWithLock<T>(db: Kysely<Database>, name: string, fn: (conn: Kysely<Database>) => Promise<T>): Promise<Locked<T>> {
  if (heldHere.has(name)) return { ran: false };
  heldHere.add(name);
  try {
    return await db.connection().execute(async (conn): Promise<Locked<T>> => {
      const taken = await sql<{ locked: boolean }>`
        select pg_try_advisory_lock(hashtext('mentorship-tracker'), hashtext(${name})) as locked`.execute(conn);
      if (!taken.rows[0]?.locked) return { ran: false };
      try {
        return { ran: true, value: await fn(conn) };
      } finally {
        await sql`select pg_advisory_unlock(hashtext('mentorship-tracker'), hashtext(${name}))`.execute(conn);
      }
    });
  } finally {
    heldHere.delete(name);
  }
}

export async function findTrackingIssue(db: Db, key: ProjectKey): Promise<{ repo: string; number: number } | null> {
  const row = await db
    .selectFrom("tracking_issues")
    .select(["repo", "number"])
    .where("installation_id", "=", key.installationId)
    .where("program_id", "=", key.programId)
    .where("project_id", "=", key.projectId)
    .executeTakeFirst();
  return row ?? null;
}

/** Every tracking issue the app opened for the installation's projects. */
export async function openedTrackingIssues(db: Db, installationId: number): Promise<OpenedTrackingIssue[]> {
  const rows = await db
    .selectFrom("tracking_issues")
    .select(["program_id", "project_id", "repo", "number"])
    .where("installation_id", "=", installationId)
    .execute();
  return rows.map((r) => ({ programId: r.program_id, projectId: r.project_id, repo: r.repo, number: r.number }));
}

export async function saveTrackingIssue(db: Db, key: ProjectKey, issue: { repo: string; number: number }): Promise<void> {
  await db
    .insertInto("tracking_issues")
    .values({ installation_id: key.installationId, program_id: key.programId, project_id: key.projectId, repo: issue.repo, number: issue.number })
    .onConflict((oc) => oc.columns(["installation_id", "program_id", "project_id"]).doUpdateSet({ repo: issue.repo, number: issue.number }))
    .execute();
}

export interface PostedComment {
  key: string;
  repo: string;
  number: number;
  commentId: number | null;
  postedAt: Date;
}

function toPosted(row: { key: string; repo: string; number: number; comment_id: number | null; posted_at: unknown }): PostedComment {
  // `Generated<Timestamp>` keeps kysely from unwrapping the column type; pg gives a Date.
  return { key: row.key, repo: row.repo, number: row.number, commentId: row.comment_id, postedAt: new Date(row.posted_at as Date) };
}

/**
 * Claims a once-only comment before it is posted. True for exactly one caller ever (until the claim
 * is released): concurrent callers race on the primary key, and the loser's insert does nothing.
 */
export async function claimComment(db: Db, installationId: number, key: string, issue: { repo: string; number: number }): Promise<boolean> {
  const row = await db
    .insertInto("posted_comments")
    .values({ installation_id: installationId, key, repo: issue.repo, number: issue.number, comment_id: null })
    .onConflict((oc) => oc.columns(["installation_id", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  return row !== undefined;
}

export async function confirmComment(db: Db, installationId: number, key: string, commentId: number): Promise<void> {
  await db
    .updateTable("posted_comments")
    .set({ comment_id: commentId })
    .where("installation_id", "=", installationId)
    .where("key", "=", key)
    .execute();
}

/** Gives an unposted claim back, so a later run posts the comment. A confirmed claim is never released. */
export async function releaseClaim(db: Db, installationId: number, key: string): Promise<void> {
  await db
    .deleteFrom("posted_comments")
    .where("installation_id", "=", installationId)
    .where("key", "=", key)
    .where("comment_id", "is", null)
    .execute();
}

/** Which of `keys` are already claimed: lets a job skip GitHub entirely when nothing is new. */
export async function claimedKeys(db: Db, installationId: number, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom("posted_comments")
    .select("key")
    .where("installation_id", "=", installationId)
    .where("key", "in", keys)
    .execute();
  return new Set(rows.map((r) => r.key));
}

/**
 * Claims whose comment id was never stored and that are older than `olderThanSeconds` (database
 * time: this is about real processes crashing, not the simulated clock the demo drives).
 */
export async function unconfirmedClaims(db: Db, installationId: number, olderThanSeconds: number): Promise<PostedComment[]> {
  const rows = await db
    .selectFrom("posted_comments")
    .select(["key", "repo", "number", "comment_id", "posted_at"])
    .where("installation_id", "=", installationId)
    .where("comment_id", "is", null)
    .where(sql<boolean>`posted_at < now() - make_interval(secs => ${olderThanSeconds})`)
    .orderBy("posted_at")
    .execute();
  return rows.map(toPosted);
}

export async function findPostedComment(db: Db, installationId: number, key: string): Promise<PostedComment | null> {
  const row = await db
    .selectFrom("posted_comments")
    .select(["key", "repo", "number", "comment_id", "posted_at"])
    .where("installation_id", "=", installationId)
    .where("key", "=", key)
    .executeTakeFirst();
  return row ? toPosted(row) : null;
}

/** Remembers where an edited-in-place comment (the progress comment) lives, replacing what was known. */
export async function rememberComment(
  db: Db,
  installationId: number,
  key: string,
  issue: { repo: string; number: number },
  commentId: number,
): Promise<void> {
  await db
    .insertInto("posted_comments")
    .values({ installation_id: installationId, key, repo: issue.repo, number: issue.number, comment_id: commentId })
    .onConflict((oc) => oc.columns(["installation_id", "key"]).doUpdateSet({ repo: issue.repo, number: issue.number, comment_id: commentId }))
    .execute();
}
