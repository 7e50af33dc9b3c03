import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { Visitor } from "../helpers/dashboard.js";

/** `npm run demo -- --keep` prints a dashboard address that signs a newcomer in as the demo's admin: no GitHub account needed. */
describe("mentorship demo --keep", () => {
  const demo = spawn(process.execPath, ["bin/mentorship.js", "demo", "--keep"], {
    env: { PATH: process.env.PATH ?? "", TMPDIR: mkdtempSync(join(tmpdir(), "demo-dashboard-")) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => demo.once("exit", (code) => resolve(code)));
  // Progress goes to stderr: read it, or a full pipe would stall the demo.
  demo.stderr!.resume();

  afterAll(async () => {
    demo.kill("SIGTERM");
    await exited;
  });

  it("prints the dashboard's address, which signs the viewer in as the demo admin and shows the program", async () => {
    let output = "";
    const line = await new Promise<string>((resolve, reject) => {
      demo.stdout!.on("data", (chunk) => {
        output += String(chunk);
        const found = /dashboard:\s+(\S+)/.exec(output);
        if (found) resolve(found[1]!);
      });
      demo.once("exit", () => reject(new Error(`the demo ended before printing the dashboard:\n${output}`)));
    });
    const url = new URL(line);
    const visitor = new Visitor(url.origin);
    const landing = await visitor.follow(url.pathname + url.search);
    expect(landing.status).toBe(200);
    const page = await landing.text();
    expect(page).toContain("Signed in as <strong>ada-admin</strong>");
    expect(page).toContain('href="/programs/demo-2026"');
    const program = await visitor.fetch("/programs/demo-2026?format=json");
    const tables = ((await program.json()) as { tables: Array<{ id: string; rows: unknown[][] }> }).tables;
    // The demo's figures (test/e2e/demo.test.ts works them out by hand): one request waiting, overdue.
    expect(tables.find((t) => t.id === "waiting")!.rows).toHaveLength(1);
  }, 600_000);
});
