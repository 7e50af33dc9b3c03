/**
 * `npm run bench`: every measure of issue 9 in one run, a table on stdout, bench/results.json.
 *
 *   npm run bench                      the full run (about 11 minutes on 2 cores); writes bench/results.json
 *   npm run bench -- --quick           a smoke run of about a minute; writes bench/results.quick.json
 *   npm run bench -- --only ingestion,memory   some measures; writes bench/results.partial.json
 *   node dist/bench/run.js --markdown bench/results.json   the figures of a run as a markdown table
 *
 * PostgreSQL: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. Each measure
 * creates its own scratch database there and drops it. Progress goes to stderr.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { describeMachine, loadAverage, type MachineInfo } from "./lib/machine.js";
import { createScratchDatabase, dropAllScratchDatabases, NoPostgresError, serverUrl } from "./lib/postgres.js";
import { stderrProgress } from "./lib/progress.js";
import { type BenchContext, type BenchResults, type BenchSection, notMeasured, type SectionReport, type SectionResult } from "./lib/section.js";
import { renderMarkdown, renderTable } from "./lib/table.js";
import { SECTIONS, type SectionEntry } from "./sections.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** dist/bench → the repository root. */
const ROOT = join(HERE, "..", "..");

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      markdown: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      `Usage: npm run bench [-- --quick] [-- --only ${SECTIONS.map((s) => s.id).join(",")}] [-- --out FILE] [-- --markdown RESULTS.json]\n` +
        `PostgreSQL server: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)\n`,
    );
    return 0;
  }
  if (values.markdown) {
    process.stdout.write(renderMarkdown(JSON.parse(readFileSync(values.markdown, "utf8")) as BenchResults));
    return 0;
  }
  const only = values.only ? values.only.split(",").map((s) => s.trim()).filter(Boolean) : null;
  const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown measure ${unknown.join(", ")} (known: ${SECTIONS.map((s) => s.id).join(", ")})\n`);
    return 2;
  }
  const quick = values.quick ?? false;
  const selected = SECTIONS.filter((s) => only === null || only.includes(s.id));
  const outFile = values.out ?? join(ROOT, "bench", quick ? "results.quick.json" : only ? "results.partial.json" : "results.json");

  const progress = stderrProgress();
  const started = Date.now();
  const machine = await describeMachine();
  progress.note(
    `${quick ? "quick smoke run" : "full run"} on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres ?? `unreachable at ${serverUrl()}`}; load average ${machine.loadAverageAtStart}`,
  );

  const ctx: BenchContext = { quick, progress, createDatabase: (label) => createScratchDatabase(label) };
  const onSignal = () => {
    void dropAllScratchDatabases().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const reports: SectionReport[] = [];
  for (const entry of selected) {
    const sectionStarted = Date.now();
    progress.note(`${entry.number}. ${entry.title}`);
    const result = await runSection(entry, ctx);
    await dropAllScratchDatabases();
    const seconds = Math.round((Date.now() - sectionStarted) / 100) / 10;
    reports.push({ id: entry.id, number: entry.number, title: entry.title, seconds, ...result });
    if (result.status !== "measured") progress.note(`${entry.number}. ${entry.title}: ${result.status}: ${result.reason}`);
  }
  machine.loadAverageAtEnd = loadAverage();

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    sectionsRequested: selected.map((s) => s.id),
    seconds: Math.round((Date.now() - started) / 1000),
    machine,
    caveats: caveats(machine, quick),
    sections: reports,
  };
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(renderTable(results));
  process.stdout.write(`\nResults: ${relative(process.cwd(), outFile) || outFile} · method and goals: docs/benchmarks.md\n`);
  return reports.some((r) => r.status === "failed") ? 1 : 0;
}

async function runSection(entry: SectionEntry, ctx: BenchContext): Promise<SectionResult> {
  let section: BenchSection;
  const url = new URL(entry.module, import.meta.url);
  try {
    const module = (await import(url.href)) as { section?: BenchSection };
    if (!module.section) return { ...notMeasured(`${entry.source} exports no \`section\``), status: "failed" };
    section = module.section;
  } catch (error) {
    if (isMissing(error, url)) return notMeasured(`${entry.source} is not written yet`);
    return { ...notMeasured(`${entry.source} failed to load: ${message(error)}`), status: "failed" };
  }
  try {
    return await section.run(ctx);
  } catch (error) {
    if (error instanceof NoPostgresError) return notMeasured(error.message);
    process.stderr.write(`[bench] ${entry.title} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return { ...notMeasured(message(error)), status: "failed" };
  }
}

/** The module itself is missing, as opposed to something it imports. */
function isMissing(error: unknown, url: URL): boolean {
  const e = error as NodeJS.ErrnoException & { url?: string };
  if (e?.code !== "ERR_MODULE_NOT_FOUND") return false;
  const path = fileURLToPath(url);
  return e.url === url.href || e.message.includes(path) || e.message.includes(pathToFileURL(path).href);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function caveats(machine: MachineInfo, quick: boolean): string[] {
  const list = [
    "The load generator, the app and PostgreSQL share this machine's cores; in production PostgreSQL usually has its own.",
  ];
  if (quick) list.unshift("Quick smoke run: short phases and scaled-down data; the figures are not verdicts.");
  const busy = Math.max(machine.loadAverageAtStart, 0);
  if (busy > 0.5) {
    list.push(`The 1-minute load average was ${machine.loadAverageAtStart} when the run started: other processes were using the CPU.`);
  }
  return list;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await dropAllScratchDatabases();
    process.exitCode = 1;
  },
);
