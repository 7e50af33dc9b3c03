/**
 * The contract between the bench runner (bench/run.ts) and each measure's module.
 *
 * A measure is a module under bench/ that exports `section: BenchSection`. The runner imports the
 * modules listed in bench/sections.ts in order; a module that is not there (yet) is reported as
 * "not measured" rather than failing the run, and a section that throws is reported as "failed" while
 * the others still run.
 */
import type { MachineInfo } from "./machine.js";
import type { ScratchDatabase } from "./postgres.js";
import type { Progress } from "./progress.js";

export interface BenchContext {
  /** `--quick`: a smoke run of under about a minute; figures are not verdicts. */
  quick: boolean;
  /** Progress lines for long phases; they go to stderr, never into the table. */
  progress: Progress;
  /**
   * A fresh, empty, migrated PostgreSQL database on the bench server, dropped when the run ends (or
   * earlier through `drop()`). Throws `NoPostgresError` when no server answers.
   */
  createDatabase(label: string): Promise<ScratchDatabase>;
}

/** One goal of the issue, judged on this run's figures. */
export interface GoalVerdict {
  /** As the issue states it, e.g. "ratio b/a ≥ 0.6". */
  goal: string;
  /** true: met; false: missed; null: not judged (a smoke run, or not measured). */
  met: boolean | null;
  /** The figure the verdict is about, with its unit, e.g. "0.72". */
  actual: string;
  /** When missed: by how much, and what would close it. When met with little margin: say so. */
  note?: string;
}

/** One line of the printed table. */
export interface FigureRow {
  /** What was measured, e.g. "full app (PostgreSQL): throughput". */
  measure: string;
  /** The figure with its unit, e.g. "812 req/s". */
  value: string;
  /** The goal this line is judged against, if any. */
  goal?: string;
  verdict?: boolean | null;
}

export interface SectionResult {
  status: "measured" | "not measured" | "failed";
  /** Why not measured or why it failed; empty when measured. */
  reason?: string;
  rows: FigureRow[];
  goals: GoalVerdict[];
  /** How it was measured, in a few sentences: printed under the table and kept in results.json. */
  method: string[];
  /** Everything else worth keeping (raw per-run figures, counts), written to results.json as is. */
  data: Record<string, unknown>;
}

export interface BenchSection {
  /** Stable id, the module's file name without extension: "ingestion", "backfill-cost", … */
  id: string;
  /** The measure's number in issue 9. */
  number: number;
  title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}

export function notMeasured(reason: string, method: string[] = []): SectionResult {
  return { status: "not measured", reason, rows: [], goals: [], method, data: {} };
}

/** A section's result as bench/results.json keeps it. */
export interface SectionReport extends SectionResult {
  id: string;
  number: number;
  title: string;
  seconds: number;
}

/** bench/results.json. */
export interface BenchResults {
  generatedAt: string;
  mode: "full" | "quick";
  sectionsRequested: string[];
  seconds: number;
  machine: MachineInfo;
  /** Anything that may have disturbed the figures. */
  caveats: string[];
  sections: SectionReport[];
}
