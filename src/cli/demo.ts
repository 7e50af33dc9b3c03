import { parseArgs } from "node:util";
import { runDemo } from "../demo/run.js";
import type { CliIo } from "./io.js";

export const DEMO_HELP = `Usage: mentorship demo [--keep]

Runs the real app (webhook server, worker, embedded database in a temporary directory) against a
local stand-in for GitHub, replays a fictional mentorship program as signed webhook deliveries on a
simulated clock, and prints the response-time report, the progress comments, and the milestone
comments and nudges the app posted. No GitHub account, no PostgreSQL, no network.

  --keep   leave the app running afterwards and print its URL and API token`;

export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { keep: { type: "boolean" } }, strict: true });
  io.stdout("Replaying a mentorship program through the app (simulated 2026-06-15 → 2026-10-17)…\n");
  await runDemo({ keep: values.keep ?? false, write: io.stdout, progress: (line) => io.stderr(`${line}\n`) });
  return 0;
}
