/** The table `npm run bench` prints: one block per measure, then every goal with its verdict. */
import type { BenchResults } from "./section.js";

export function renderTable(results: BenchResults): string {
  const m = results.machine;
  const smoke = results.mode === "quick";
  const out: string[] = [];
  out.push("");
  out.push(
    `mentorship-tracker benchmarks · ${smoke ? "quick smoke run" : "full run"} · ${results.generatedAt.slice(0, 16).replace("T", " ")} UTC · ${results.seconds} s`,
  );
  out.push(
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · PostgreSQL ${m.postgres ?? "none"} · PGlite ${m.pglite ?? "?"} · ` +
      `load average ${m.loadAverageAtStart} → ${m.loadAverageAtEnd ?? "?"}`,
  );
  out.push("");

  const rows: string[][] = [["#", "Measure", "Figure", "Goal", "Verdict"]];
  for (const s of results.sections) {
    if (s.status !== "measured") {
      rows.push([String(s.number), s.title, `${s.status}: ${s.reason ?? ""}`, "", ""]);
      continue;
    }
    rows.push([String(s.number), s.title, "", "", ""]);
    for (const r of s.rows) rows.push(["", `  ${r.measure}`, r.value, r.goal ?? "", verdict(r.verdict, smoke)]);
  }
  out.push(...columns(rows));

  const goals = results.sections.flatMap((s) => s.goals.map((g) => ({ number: s.number, ...g })));
  const missing = results.sections.filter((s) => s.status !== "measured");
  out.push("");
  out.push(smoke ? "Goals (smoke run: short phases, scaled-down data; not verdicts)" : "Goals");
  for (const g of goals) {
    out.push(`  ${verdict(g.met, smoke).padEnd(8)} ${g.number}. ${g.goal}: ${g.actual}${g.note ? ` — ${g.note}` : ""}`);
  }
  for (const s of missing) out.push(`  ${"—".padEnd(8)} ${s.number}. ${s.title}: ${s.status} (${s.reason ?? ""})`);
  if (results.caveats.length > 0) {
    out.push("");
    for (const c of results.caveats) out.push(`Note: ${c}`);
  }
  return `${out.join("\n")}\n`;
}

function verdict(met: boolean | null | undefined, smoke: boolean): string {
  if (met === undefined) return "";
  if (met === null) return "—";
  const word = met ? "met" : "MISSED";
  return smoke ? `${word}*` : word;
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r, index) => {
    const line = r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
    return index === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
  });
}

/** The same figures as markdown, for docs/benchmarks.md (`node dist/bench/run.js --markdown bench/results.json`). */
export function renderMarkdown(results: BenchResults): string {
  const smoke = results.mode === "quick";
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const out = ["| # | Measure | Figure | Goal | Verdict |", "| --- | --- | --- | --- | --- |"];
  for (const s of results.sections) {
    if (s.status !== "measured") {
      out.push(`| ${s.number} | **${cell(s.title)}** | ${s.status}: ${cell(s.reason ?? "")} | | |`);
      continue;
    }
    out.push(`| ${s.number} | **${cell(s.title)}** | | | |`);
    for (const r of s.rows) out.push(`| | ${cell(r.measure)} | ${cell(r.value)} | ${cell(r.goal ?? "")} | ${verdict(r.verdict, smoke)} |`);
  }
  return `${out.join("\n")}\n`;
}
