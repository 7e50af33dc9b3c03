import type { AppDeps } from "../deps.js";

type Reads = readonly (() => Promise<unknown>)[];
type Results<T extends Reads> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

/**
 * Runs independent reads on the pool's connections at once where the database serves concurrent
 * queries, and one after the other where it does not (`AppDeps.concurrentQueries`). Results keep the
 * order of the reads.
 */
export async function readTogether<T extends Reads>(deps: Pick<AppDeps, "concurrentQueries">, reads: T): Promise<Results<T>> {
  if (deps.concurrentQueries) return (await Promise.all(reads.map((read) => read()))) as Results<T>;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as Results<T>;
}
