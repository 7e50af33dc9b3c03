import pg from "pg";

/**
 * A plain pg pool for graphile-worker (pg's own type parsers, which it relies on). Handed to it as
 * `pgPool` rather than a connection string, because a pool graphile-worker makes itself is ended
 * without waiting and loses its error listener first: a database dropped or restarted while its
 * clients close then raised an unhandled "terminating connection" error in this process.
 */
export function openWorkerPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // A client losing its server is no crash: pg drops an idle one, and a busy one's query reports it.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

export async function withWorkerPool<T>(connectionString: string, max: number, use: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = openWorkerPool(connectionString, max);
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}
