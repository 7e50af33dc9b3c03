/**
 * Before/after in one run: BENCH_BASELINE names the root of another checkout, built (`npm ci` or
 * `npm run build` there), whose app a section runs beside this one under the same load. Its database
 * must carry only its own migrations, so this tree's newer ones are rolled back on its scratch database.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Migration } from "kysely";
import { sql } from "kysely";
import { migrations } from "../../migrations/index.js";
import type { ScratchDatabase } from "./postgres.js";

export function baselineTree(): string | undefined {
  return process.env.BENCH_BASELINE || undefined;
}

/** Rolls back, newest first, every migration of this tree that the baseline does not have. */
export async function toBaselineSchema(scratch: ScratchDatabase, tree: string): Promise<void> {
  const theirs = (await import(pathToFileURL(join(tree, "dist/migrations/index.js")).href)) as { migrations: Record<string, Migration> };
  const ours = Object.keys(migrations).filter((name) => !(name in theirs.migrations)).sort().reverse();
  const { db } = await scratch.open();
  for (const name of ours) {
    await migrations[name]!.down?.(db);
    await sql`delete from kysely_migration where name = ${name}`.execute(db);
  }
}
