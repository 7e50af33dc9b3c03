import { type Kysely, type MigrationResultSet, Migrator } from "kysely";
import { Logger as WorkerLogger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { migrations } from "../../migrations/index.js";
import type { Database } from "./schema.js";
import { withWorkerPool } from "./worker-pool.js";

export interface MigrationOutcome {
  /** Names of the migrations this run applied; empty when the database was up to date. */
  applied: string[];
}

/**
 * Applies our migrations and graphile-worker's. Safe to run from several processes at once:
 * kysely holds a lock row for the whole run, graphile-worker an advisory lock.
 */
export async function migrateToLatest(db: Kysely<Database>, connectionString: string): Promise<MigrationOutcome> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(failed ? `migration ${failed} failed: ${reason}` : `migrations failed: ${reason}`, { cause: result.error });
  }
  await withWorkerPool(connectionString, 1, (pgPool) => runWorkerMigrations({ pgPool, logger: silentWorkerLogger() }));
  return { applied: (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

function silentWorkerLogger() {
  // graphile-worker logs migrations at info level through console; the caller reports the outcome itself.
  return new WorkerLogger(() => () => {});
}

/** Our migrations that this database has not applied yet (graphile-worker applies its own at start). */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
