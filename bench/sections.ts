/**
 * The measures of issue 9, in the order they run and are printed. Each entry names a module beside
 * this file that exports `section: BenchSection` (bench/lib/section.ts). A module that does not
 * exist yet is listed as "not measured": add the file and it runs, no change here needed.
 */
export interface SectionEntry {
  id: string;
  number: number;
  title: string;
  /** The compiled module, relative to this file. */
  module: string;
  /** The source file, for messages. */
  source: string;
}

export const SECTIONS: SectionEntry[] = [
  { id: "ingestion", number: 1, title: "Webhook ingestion", module: "./ingestion.js", source: "bench/ingestion.ts" },
  { id: "reports", number: 2, title: "Reports at scale", module: "./reports-at-scale.js", source: "bench/reports-at-scale.ts" },
  { id: "backfill-cost", number: 3, title: "Backfill cost vs github/issue-metrics", module: "./backfill-cost.js", source: "bench/backfill-cost.ts" },
  { id: "write-discipline", number: 4, title: "Write discipline", module: "./write-discipline.js", source: "bench/write-discipline.ts" },
  { id: "memory", number: 5, title: "Memory after 100k deliveries", module: "./memory.js", source: "bench/memory.ts" },
  { id: "insights", number: 19, title: "Program insights at scale", module: "./insights.js", source: "bench/insights.ts" },
  { id: "dashboard", number: 20, title: "Dashboard pages at scale", module: "./dashboard.js", source: "bench/dashboard.ts" },
  { id: "sustained", number: 21, title: "Sustained ingestion with derivation", module: "./sustained.js", source: "bench/sustained.ts" },
  { id: "scale-out", number: 22, title: "Two app processes on one PostgreSQL", module: "./scale-out.js", source: "bench/scale-out.ts" },
  { id: "embedded", number: 23, title: "Embedded database: idle memory and the demo", module: "./embedded.js", source: "bench/embedded.ts" },
];
