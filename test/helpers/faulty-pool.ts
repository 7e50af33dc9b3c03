import { Kysely, PostgresDialect } from "kysely";
import type pg from "pg";
import type { Database } from "../../src/db/schema.js";

/**
 * The app's database, reached through a pool that the test can interfere with at a chosen SQL
 * statement: hold it (not yet sent) until released, or lose the connection under it, or have every
 * connection refused from then on (a database gone mid-transaction). The database itself is real.
 */
export interface FaultyPool {
  db: Kysely<Database>;
  /** The next statement whose text matches is held before it reaches the database; resolves `reached` when it is. */
  hold(match: RegExp): { reached: Promise<void>; release(): void };
  /** The next matching statement fails as a dropped connection does; with `down`, later connections are refused too. */
  breakAt(match: RegExp, options?: { down?: boolean }): void;
  /** Connections are accepted again. */
  recover(): void;
  destroy(): Promise<void>;
}

interface Trap {
  match: RegExp;
  act(): Promise<void>;
}

export function faultyPool(pool: pg.Pool): FaultyPool {
  const traps: Trap[] = [];
  let down = false;
  const trapFor = (text: string) => {
    const at = traps.findIndex((t) => t.match.test(text));
    return at < 0 ? undefined : traps.splice(at, 1)[0];
  };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        async connect() {
          if (down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
          const client = await pool.connect();
          let broken = false;
          return {
            async query(text: string, values: unknown[]) {
              if (broken) throw new Error("Connection terminated unexpectedly");
              try {
                await trapFor(text)?.act();
              } catch (error) {
                broken = true;
                throw error;
              }
              return client.query(text, values);
            },
            release() {
              // A connection that "dropped" is not given back to be reused.
              client.release(broken ? new Error("dropped") : undefined);
            },
          } as never;
        },
        async end() {
          // The pool behind it belongs to the test database.
        },
      },
    }),
  });
  return {
    db,
    hold(match) {
      let reach: () => void = () => {};
      let release: () => void = () => {};
      const reached = new Promise<void>((resolve) => (reach = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      traps.push({
        match,
        act: async () => {
          reach();
          await released;
        },
      });
      return { reached, release };
    },
    breakAt(match, options = {}) {
      traps.push({
        match,
        act: async () => {
          if (options.down) down = true;
          throw new Error("Connection terminated unexpectedly");
        },
      });
    },
    recover() {
      down = false;
    },
    destroy: () => db.destroy(),
  };
}
