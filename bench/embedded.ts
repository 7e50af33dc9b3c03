/**
 * Measure 21: the embedded database as a newcomer meets it. `npm start` with no DATABASE_URL (PGlite
 * behind pglite-socket, the worker and its crontab, the HTTP server) idling after its first start on
 * a new data directory and after a restart on the same one; and `npm run demo` from its start to its
 * exit. Both are the real entry points (dist/src/main.js, bin/mentorship.js) in their own processes,
 * read from outside through /proc, so nothing the bench loaded counts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAverage } from "./lib/machine.js";
import type { BenchContext, BenchSection, SectionResult } from "./lib/section.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RSS_GOAL_MIB = 300;
const DEMO_GOAL_SECONDS = 30;
/** Idle samples after /healthz first answers: the worker polls and heartbeats meanwhile. */
const IDLE_SAMPLES_S = [5, 15, 30];
const CLOCK_TICKS = 100;

export const section: BenchSection = { id: "embedded", number: 23, title: "Embedded database: idle memory and the demo", run };

interface IdleRun {
  start: "first" | "restart";
  readySeconds: number;
  /** VmRSS at each idle sample, MiB. */
  rssMiB: number[];
  anonMiB: number;
  peakMiB: number;
}

interface DemoRun {
  seconds: number;
  cpuSeconds: number;
  printed: string;
  loadBefore: number;
  loadAfter: number;
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const samples = ctx.quick ? [5] : IDLE_SAMPLES_S;
  const idle = await measureIdle(ctx, samples);
  const demos: DemoRun[] = [];
  const rounds = ctx.quick ? 1 : 3;
  for (let i = 0; i < rounds; i++) {
    const phase = ctx.progress.phase(`embedded: npm run demo, run ${i + 1} of ${rounds}`, {});
    const demo = await runDemo();
    phase.end(`${demo.seconds.toFixed(1)} s`);
    demos.push(demo);
  }

  const worstRss = Math.max(...idle.map((r) => Math.max(...r.rssMiB)));
  const rssMet = ctx.quick ? null : worstRss < RSS_GOAL_MIB;
  const sorted = [...demos].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const demoMet = ctx.quick ? null : median.seconds < DEMO_GOAL_SECONDS;
  const loads = demos.map((d) => `${d.loadBefore}→${d.loadAfter}`).join(", ");
  return {
    status: "measured",
    rows: [
      ...idle.map((r) => ({
        measure: `Embedded idle RSS, npm start, ${r.start === "first" ? "first start (new data directory)" : "restart (same directory)"}`,
        value: `${r.rssMiB.map((m, i) => `${m} MiB at ${samples[i]} s`).join(" · ")} (anonymous ${r.anonMiB} MiB, peak ${r.peakMiB} MiB; ready in ${r.readySeconds.toFixed(1)} s)`,
        goal: `< ${RSS_GOAL_MIB} MiB`,
        verdict: ctx.quick ? null : Math.max(...r.rssMiB) < RSS_GOAL_MIB,
      })),
      {
        measure: `demo wall time, npm run demo (median of ${demos.length})`,
        value: `${median.seconds.toFixed(1)} s (runs ${demos.map((d) => d.seconds.toFixed(1)).join(", ")} s; CPU ${median.cpuSeconds.toFixed(1)} s; load ${loads})`,
        goal: `< ${DEMO_GOAL_SECONDS} s`,
        verdict: demoMet,
      },
    ],
    goals: [
      {
        goal: `embedded npm start idles under ${RSS_GOAL_MIB} MiB RSS`,
        met: rssMet,
        actual: `${worstRss} MiB at most, first start and restart`,
      },
      {
        goal: `npm run demo under ${DEMO_GOAL_SECONDS} s`,
        met: demoMet,
        actual: `${median.seconds.toFixed(1)} s median, CPU ${median.cpuSeconds.toFixed(1)} s`,
        ...(demoMet === false ? { note: `the demo is one process on one core: under a load average of ${median.loadBefore} its wall time is its CPU time stretched by the other processes` } : {}),
      },
    ],
    method: [
      `Idle RSS: dist/src/main.js (what npm start runs) in a temporary working directory whose .env holds credentials, no DATABASE_URL and DATA_DIR in that directory, GitHub pointed at a closed local port; VmRSS from /proc/<pid>/status ${samples.join(", ")} s after /healthz first answered, then SIGTERM and the same again on the same data directory.`,
      `Demo: bin/mentorship.js demo (what npm run demo runs after its build), ${rounds} run(s); wall time from spawn to exit; CPU is utime + stime from /proc/<pid>/stat read every 200 ms until it exits.`,
    ],
    data: { idle, demos, rssGoalMiB: RSS_GOAL_MIB, demoGoalSeconds: DEMO_GOAL_SECONDS },
  };
}

async function measureIdle(ctx: BenchContext, samples: number[]): Promise<IdleRun[]> {
  const dir = mkdtempSync(join(tmpdir(), "mt-bench-embedded-"));
  try {
    const port = await freePort();
    const key = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    writeFileSync(join(dir, "key.pem"), key);
    writeFileSync(
      join(dir, ".env"),
      [`APP_ID=1`, `PRIVATE_KEY_PATH=${join(dir, "key.pem")}`, `WEBHOOK_SECRET=bench`, `PORT=${port}`, `HOST=127.0.0.1`, `LOG_LEVEL=warn`, `DATA_DIR=${join(dir, "data")}`, `GHE_HOST=127.0.0.1:9`, `GHE_PROTOCOL=http`, ""].join("\n"),
    );
    copyFileSync(join(ROOT, "app.yml"), join(dir, "app.yml"));
    copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
    const runs: IdleRun[] = [];
    for (const start of ["first", "restart"] as const) {
      const phase = ctx.progress.phase(`embedded: npm start, ${start === "first" ? "first start" : "restart"}, idle for ${samples[samples.length - 1]} s`, {});
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", NO_SMEE_SETUP: "true" };
      const child = spawn(process.execPath, [join(ROOT, "dist", "src", "main.js")], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
      try {
        const started = Date.now();
        await waitForHealth(`http://127.0.0.1:${port}/healthz`, child);
        const readySeconds = (Date.now() - started) / 1000;
        const rssMiB: number[] = [];
        let waited = 0;
        for (const at of samples) {
          await sleep((at - waited) * 1000);
          waited = at;
          rssMiB.push(status(child.pid!).rss);
        }
        const last = status(child.pid!);
        runs.push({ start, readySeconds, rssMiB, anonMiB: last.anon, peakMiB: last.peak });
        phase.end(`${rssMiB[rssMiB.length - 1]} MiB`);
      } finally {
        await stop(child);
      }
    }
    return runs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runDemo(): Promise<DemoRun> {
  const loadBefore = loadAverage();
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, "bin", "mentorship.js"), "demo"], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "ignore"] });
  let stdout = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  let cpuSeconds = 0;
  const timer = setInterval(() => {
    cpuSeconds = cpuOf(child.pid!) ?? cpuSeconds;
  }, 200);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearInterval(timer);
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`npm run demo exited with code ${code}`);
  const printed = stdout.trimEnd().split("\n").pop() ?? "";
  return { seconds, cpuSeconds, printed, loadBefore, loadAfter: loadAverage() };
}

function status(pid: number): { rss: number; anon: number; peak: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rss: Math.round(kib("VmRSS") / 1024), anon: Math.round(kib("RssAnon") / 1024), peak: Math.round(kib("VmHWM") / 1024) };
}

/** utime + stime of a live process, in seconds; undefined once it is gone. */
function cpuOf(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}: ${stderr.trim()}`);
    const answered = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (answered) return;
    await sleep(100);
  }
  throw new Error(`npm start did not answer ${url} within 120 s`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await gone;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
