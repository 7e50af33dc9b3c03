import { AsyncLocalStorage } from "node:async_hooks";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";

/** A database step did not finish before the deadline of the work that caused it. */
export class DatabaseDeadlineError extends Error {
  override name = "DatabaseDeadlineError";
}

const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs `work` so that every database step it causes, through any repository function, must finish by
 * `deadline` (epoch ms). The deadline travels with the async context, not with an argument: the
 * request path's repository functions stay the ones the jobs use, which have no deadline.
 */
export function withDatabaseDeadline<T>(deadline: number | undefined, work: () => Promise<T>): Promise<T> {
  return deadline === undefined ? deadlines.exit(work) : deadlines.run(deadline, work);
}

/** The deadline the caller runs under, if any: for work handed to another async context (a group commit). */
export function currentDeadline(): number | undefined {
  return deadlines.getStore();
}

/**
 * The pool kysely sees. Outside a deadline it hands out `pool`'s clients as they are. Inside one,
 * getting a client and every statement on it (commit included) fail with DatabaseDeadlineError when the
 * deadline passes, and the client is then destroyed rather than returned: a statement that hangs on a
 * frozen server must neither commit later nor leave its half-done transaction to the next borrower.
 */
export function deadlinePool(pool: pg.Pool): PostgresPool {
  return {
    connect() {
      const deadline = deadlines.getStore();
      return deadline === undefined ? pool.connect() : boundedClient(pool, deadline);
    },
    end: () => pool.end(),
  };
}

async function boundedClient(pool: pg.Pool, deadline: number): Promise<PostgresPoolClient> {
  let client: pg.PoolClient | undefined;
  let expired = false;
  let released: () => void = () => {};
  const expiry = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => {
      expired = true;
      reject(new DatabaseDeadlineError(`the database did not answer within the deadline`));
      // With an error, pg's pool drops the client and destroys its socket, failing its hung statement.
      client?.release(new DatabaseDeadlineError("deadline passed"));
    }, Math.max(0, deadline - Date.now()));
    released = () => clearTimeout(timer);
  });
  expiry.catch(() => {});

  const acquiring = pool.connect();
  try {
    client = await Promise.race([acquiring, expiry]);
  } catch (error) {
    released();
    // A client that arrives after the deadline is healthy, only late: give it back.
    if (expired) acquiring.then((late) => late.release(), () => {});
    throw error;
  }
  const held = client;
  return {
    query: ((text: string, values: unknown[]) => {
      if (expired) return Promise.reject(new DatabaseDeadlineError("the deadline passed before this statement"));
      return Promise.race([held.query(text, values), expiry]);
    }) as PostgresPoolClient["query"],
    release(destroy?: boolean) {
      released();
      if (!expired) held.release(destroy);
    },
  };
}
